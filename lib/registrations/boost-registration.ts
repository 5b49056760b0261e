import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { registrations } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { actOnRegistration, staffReason } from "./act-on-registration";

/** Why staff raise a priority. `legacy_account` exists only to be refused (SPEC §3.2 rule 2). */
export const boostCategories = ["partner", "creator", "employee_referral", "support_goodwill", "testing", "other", "legacy_account"] as const;
export type BoostCategory = (typeof boostCategories)[number];

export const boostRegistrationInput = z.object({
  points: z
    .number()
    .int()
    .min(-1000)
    .max(1000)
    .refine((p) => p !== 0, "must not be 0"),
  reason: staffReason,
  category: z.enum(boostCategories),
});
export type BoostRegistrationInput = z.input<typeof boostRegistrationInput>;

/** Staff priority boost (growth/admin). Refuses `legacy_account`: the old service gives no advantage. */
export async function boostRegistration(db: Database, actor: Actor, registrationId: string, input: BoostRegistrationInput) {
  assertCan(actor, "manage_batches");
  const { points, reason, category } = boostRegistrationInput.parse(input);
  if (category === "legacy_account") {
    throw new AppError(
      "validation",
      "Boosts for old-service accounts are not allowed: the relaunch gives legacy users no advantage (fresh-registration policy).",
      { fieldErrors: [{ path: "category", message: "legacy_account boosts are refused by policy" }] },
    );
  }
  return actOnRegistration(db, actor, {
    permission: "manage_batches",
    registrationId,
    action: "registration.boost",
    allowed: ["pending_verification", "waiting", "invited", "expired"],
    auditExtra: { points, reason, category },
    change: async (_tx, current) => {
      if (current.boostPoints + points < 0) {
        throw new AppError("validation", `Boost points cannot go below 0 (currently ${current.boostPoints}).`, {
          fieldErrors: [{ path: "points", message: `must be at least ${-current.boostPoints}` }],
        });
      }
      return { boostPoints: sql`${registrations.boostPoints} + ${points}` as unknown as number };
    },
  });
}
