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

export const createApiTokenInput = z.object({
  email: staffEmail,
  name: z.string().trim().min(1).max(100).default("api"),
  expiresInDays: z.number().int().positive().max(3650).optional(),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;
