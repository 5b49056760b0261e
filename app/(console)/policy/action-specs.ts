// The Policy page's server actions as plain specs (tests run them as every role); actions.ts
// exposes them with "use server". The form sends strings: this schema turns them into the lib's
// typed update (lib/policy/policy.schema.ts), which validates the ranges again.
import { z } from "zod";
import { defineStaffAction } from "@/app/_server/action-spec";
import { releasePrefixHold, releasePrefixHoldInput } from "@/lib/policy/release-prefix-hold";
import { updatePolicySettings } from "@/lib/policy/update-policy-settings";

const whole = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
    z.number({ error: "enter a whole number" }).int("enter a whole number").min(min, `at least ${min}`).max(max, `at most ${max}`),
  );

/** "fr, de be" → ["FR","DE","BE"]; empty → null (every country). */
const countries = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()) : null),
  z.array(z.string().regex(/^[A-Z]{2}$/, "use two-letter country codes, e.g. FR, DE")).nullable(),
);
/** One prefix per line or comma; empty → none. */
const prefixes = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,;]+/).filter(Boolean) : v ?? []),
  z.array(z.string().regex(/^\+[1-9]\d{0,14}$/, 'prefixes are "+" and digits, e.g. +88213')),
);
/** Empty → null (no reminders). */
const optionalHours = z.preprocess(
  (v) => (v === undefined || v === "" ? null : Number(v)),
  z.number({ error: "enter a whole number" }).int("enter a whole number").min(1, "at least 1").max(24 * 90, "at most 2160").nullable(),
);

export const policyForm = z.object({
  referralBoost: whole(0, 1000),
  referralBoostCap: whole(0, 100_000),
  verificationWindowMinutes: whole(1, 24 * 60),
  verificationMaxAttempts: whole(1, 20),
  retentionDays: whole(0, 3650),
  allowedCountries: countries,
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
