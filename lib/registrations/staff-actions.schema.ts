import { z } from "zod";

const reason = z.string().trim().min(3, "give a reason (at least 3 characters)").max(500);

export const removeRegistrationInput = z.object({ reason });
export const blockRegistrationInput = z.object({ reason });
export const holdRegistrationInput = z.object({ reason: reason.optional() });
export const clearRegistrationInput = z.object({ reason: reason.optional() });
export const reactivateRemovedRegistrationInput = z.object({ reason: reason.optional() });

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
  reason,
  category: z.enum(boostCategories),
});

export type RemoveRegistrationInput = z.input<typeof removeRegistrationInput>;
export type BlockRegistrationInput = z.input<typeof blockRegistrationInput>;
export type HoldRegistrationInput = z.input<typeof holdRegistrationInput>;
export type BoostRegistrationInput = z.input<typeof boostRegistrationInput>;
