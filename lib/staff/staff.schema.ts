import { z } from "zod";
import { staffRole } from "@/db/schema";

export const staffEmail = z.email().max(254).transform((e) => e.toLowerCase());
export const staffPassword = z.string().min(12, "at least 12 characters").max(200);

export const createStaffInput = z.object({
  email: staffEmail,
  role: z.enum(staffRole.enumValues),
  name: z.string().trim().max(100).optional(),
  /** Generated (and returned once) when absent. */
  password: staffPassword.optional(),
});
export type CreateStaffInput = z.input<typeof createStaffInput>;

/** Tokens always expire (SPEC §6): 90 days unless asked otherwise, a year at most. */
export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 365;

export const createApiTokenInput = z.object({
  /** Whose token: only the CLI (no actor) names one; staff always create their own. */
  email: staffEmail.optional(),
  name: z.string().trim().min(1).max(100).default("api"),
  expiresInDays: z.number().int().positive().max(API_TOKEN_MAX_DAYS).default(API_TOKEN_DEFAULT_DAYS),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;
