import { z } from "zod";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { actOnRegistration, staffReason } from "./act-on-registration";

export const clearRegistrationInput = z.object({ reason: staffReason.optional() });
export type ClearRegistrationInput = z.input<typeof clearRegistrationInput>;

/** Lifts a hold: the entry goes back into batches. */
export async function clearRegistration(db: Database, actor: Actor, registrationId: string, input: ClearRegistrationInput = {}) {
  const { reason } = clearRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.clear",
    allowed: "any",
    auditExtra: { reason: reason ?? null },
    change: async () => ({ review: "clear" }),
  });
}
