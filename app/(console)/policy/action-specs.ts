// The Policy page's server actions as plain specs (tests run them as every role); actions.ts
// exposes them with "use server". The form sends strings: this schema turns them into the lib's
// typed update (lib/policy/policy.schema.ts), which validates the ranges again.
import { z } from "zod";
import { zfd } from "zod-form-data";
import { defineStaffAction } from "@/app/_server/action-spec";
import { releasePrefixHold, releasePrefixHoldInput } from "@/lib/policy/release-prefix-hold";
import { updatePolicySettings } from "@/lib/policy/update-policy-settings";
import { countryListText, wholeNumber } from "@/lib/validation/fields";

const whole = (min: number, max: number) => zfd.numeric(wholeNumber(min, max));

/** One prefix per line or comma; empty → none. */
const prefixes = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,;]+/).filter(Boolean) : v ?? []),
  z.array(z.string().regex(/^\+[1-9]\d{0,14}$/, 'prefixes are "+" and digits, e.g. +88213')),
);
/** Empty → null (no reminders). */
const optionalHours = zfd.numeric(wholeNumber(1, 24 * 90).optional()).transform((v) => v ?? null);

export const policyForm = z.object({
  referralBoost: whole(0, 1000),
  referralBoostCap: whole(0, 100_000),
  verificationWindowMinutes: whole(1, 24 * 60),
  verificationMaxAttempts: whole(1, 20),
  retentionDays: whole(0, 3650),
  allowedCountries: countryListText,
  blockedPrefixes: prefixes,
  velocityWindowMinutes: whole(1, 7 * 24 * 60),
  velocityMaxPerIp: whole(1, 1_000_000),
  velocityMaxPerPrefix: whole(1, 1_000_000),
  velocityPrefixDigits: whole(1, 12),
  reminderHoursBeforeExpiry: optionalHours,
  smsBudgetCountryPerHour: whole(1, 100_000_000),
  smsBudgetPrefixPerHour: whole(1, 100_000_000),
  smsBudgetGlobalPerMinute: whole(1, 100_000_000),
  prefixHoldMinSends: whole(1, 1_000_000),
  prefixHoldMaxVerifiedPct: whole(0, 100),
});

export const updatePolicySpec = defineStaffAction({
  permission: "manage_policy",
  schema: policyForm,
  run: async (input, actor, db) => {
    const updated = await updatePolicySettings(db, actor, input);
    return { updatedAt: updated.updatedAt.toISOString() };
  },
});

export const releasePrefixHoldSpec = defineStaffAction({
  permission: "manage_policy",
  schema: releasePrefixHoldInput,
  run: async (input, actor, db) => {
    const released = await releasePrefixHold(db, actor, input);
    return { prefix: released.prefix };
  },
});
