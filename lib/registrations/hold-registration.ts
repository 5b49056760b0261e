import { z } from "zod";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { actOnRegistration, staffReason } from "./act-on-registration";

export const holdRegistrationInput = z.object({ reason: staffReason.optional() });
export type HoldRegistrationInput = z.input<typeof holdRegistrationInput>;

/** Keeps the entry in the queue (its position counts) but out of every batch until cleared. */
export async function holdRegistration(db: Database, actor: Actor, registrationId: string, input: HoldRegistrationInput = {}) {
  const { reason } = holdRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.hold",
    allowed: "any",
    auditExtra: { reason: reason ?? null },
    change: async () => ({ review: "hold" }),
  });
}
