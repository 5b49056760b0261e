import { z } from "zod";
import { countryList } from "@/lib/validation/fields";

const e164Prefix = z.string().regex(/^\+[1-9]\d{0,14}$/, 'must be "+" and digits, e.g. "+88213"');

/**
 * The editable registration policy (SPEC §3.2), shared by the Policy page, the admin API and
 * tests. Every field is optional: an update changes only what it names.
 */
export const policySettingsUpdate = z
  .object({
    referralBoost: z.number().int().min(0).max(1000),
    referralBoostCap: z.number().int().min(0).max(100_000),
    verificationWindowMinutes: z.number().int().min(1).max(24 * 60),
    verificationMaxAttempts: z.number().int().min(1).max(20),
    retentionDays: z.number().int().min(0).max(3650),
    /** null = every country. */
    allowedCountries: countryList.nullable(),
    blockedPrefixes: z.array(e164Prefix).max(10_000),
    velocityWindowMinutes: z.number().int().min(1).max(7 * 24 * 60),
    velocityMaxPerIp: z.number().int().min(1).max(1_000_000),
    velocityMaxPerPrefix: z.number().int().min(1).max(1_000_000),
    velocityPrefixDigits: z.number().int().min(1).max(12),
    reminderHoursBeforeExpiry: z.number().int().min(1).max(24 * 90).nullable(),
    smsBudgetCountryPerHour: z.number().int().min(1).max(100_000_000),
    smsBudgetPrefixPerHour: z.number().int().min(1).max(100_000_000),
    smsBudgetGlobalPerMinute: z.number().int().min(1).max(100_000_000),
    prefixHoldMinSends: z.number().int().min(1).max(1_000_000),
    prefixHoldMaxVerifiedPct: z.number().int().min(0).max(100),
  })
  .partial()
  .strict();
export type PolicySettingsUpdate = z.input<typeof policySettingsUpdate>;
