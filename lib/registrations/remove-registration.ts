import { z } from "zod";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { actOnRegistration, staffReason } from "./act-on-registration";

export const removeRegistrationInput = z.object({ reason: staffReason });
export type RemoveRegistrationInput = z.input<typeof removeRegistrationInput>;

/** waiting (or not yet verified, or expired) → removed. The phone may register again, at the back. */
export async function removeRegistration(db: Database, actor: Actor, registrationId: string, input: RemoveRegistrationInput) {
  const { reason } = removeRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.remove",
    allowed: ["waiting", "pending_verification", "expired"],
    change: async () => ({ status: "removed", statusReason: reason, statusChangedAt: new Date(), verificationCodeHash: null, statusTokenHash: null }),
  });
}
