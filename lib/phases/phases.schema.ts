import { z } from "zod";
import { expiredPlacement, phaseKind, platform } from "@/db/schema";

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone number, e.g. +33612345678");
const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166 alpha-2 code")
  .transform((c) => c.toUpperCase());
const optionalInt = z.number().int().min(0).nullable();

/** The editable settings of a phase (SPEC §3.3), shared by console forms, the admin API and tests. */
export const phaseSettings = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(phaseKind.enumValues),
  startsAt: z.coerce.date().nullable().optional(),
  endsAt: z.coerce.date().nullable().optional(),
  capacity: optionalInt.optional(),
  dailyAdmissionCap: optionalInt.optional(),
  memberInviteQuota: z.number().int().min(0).max(1000).default(0),
  invitationTtlHours: z.number().int().min(1).max(24 * 90).default(72),
  expiredPlacement: z.enum(expiredPlacement.enumValues).default("original"),
  autoReactivateExpired: z.boolean().default(false),
  countries: z.array(countryCode).min(1).max(250).nullable().optional(),
  platforms: z.array(z.enum(platform.enumValues)).min(1).nullable().optional(),
  /** Employee phones for an `internal` phase (E.164). Replaces the whole list when given. */
  allowedPhones: z.array(e164).max(100_000).optional(),
});

export const createPhaseInput = phaseSettings
  .extend({
    slug: z
      .string()
      .trim()
      .min(2)
      .max(60)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes"),
  })
  .refine((p) => !p.startsAt || !p.endsAt || p.endsAt > p.startsAt, { path: ["endsAt"], message: "must be after startsAt" });
export type CreatePhaseInput = z.input<typeof createPhaseInput>;

export const updatePhaseInput = phaseSettings
  .partial()
  .refine((p) => !p.startsAt || !p.endsAt || p.endsAt > p.startsAt, { path: ["endsAt"], message: "must be after startsAt" });
export type UpdatePhaseInput = z.input<typeof updatePhaseInput>;

export const schedulePhaseInput = z.object({ startsAt: z.coerce.date() });
