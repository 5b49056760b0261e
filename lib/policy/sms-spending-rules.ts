// SMS spending defended before anything is sent (SPEC §3.2 rule 7): which registration attempts
// get a verification code. Pure rules over the policy snapshot and the Redis counts of the
// attempt; the request path (lib/registrations/register.ts) acts on them and the screening
// worker reuses the same country and range rules, so the two never disagree.
import type { PolicySettings } from "@/db/schema";
import type { NormalizedPhone } from "@/lib/phone/normalize-phone";
import type { CounterSpec } from "@/lib/rate-limit/rate-limiter";
import type { PolicySnapshot } from "./load-policy-snapshot";

/** Why no code was sent although nothing was spent: the number or the traffic is refused. */
export type SmsWithheldReason = "country_not_allowed" | "blocked_prefix" | "prefix_held" | "velocity_ip" | "velocity_prefix";
/**
 * Why no code was sent: a budget is spent, or could not be checked (Redis answered too slowly:
 * money is not spent on a guess). Staff may release the registration; the person may simply try again.
 */
export type SmsBudgetReason = "sms_budget_country" | "sms_budget_prefix" | "sms_budget_global" | "sms_budget_unavailable";

export const smsWithheldReasons: readonly SmsWithheldReason[] = ["country_not_allowed", "blocked_prefix", "prefix_held", "velocity_ip", "velocity_prefix"];
export const smsBudgetReasons: readonly SmsBudgetReason[] = ["sms_budget_country", "sms_budget_prefix", "sms_budget_global", "sms_budget_unavailable"];

/** Counts of one attempt in its windows, this attempt included (null: no address to count). */
export interface VelocityCounts {
  ip: number | null;
  prefix: number;
}

/** Codes sent in the current windows, this attempt included. */
export interface BudgetUse {
  country: number;
  prefix: number;
  global: number;
}

/** What the attempt's counters said; budgets null when none was spent (the policy refuses anyway). */
export interface AttemptCounts {
  velocity: VelocityCounts;
  budgets: BudgetUse | "unavailable" | null;
}

export type SmsVerdict =
  | { send: true }
  | { send: false; kind: "sms_withheld"; reasons: SmsWithheldReason[]; details: Record<string, unknown> }
  | { send: false; kind: "sms_budget"; reasons: SmsBudgetReason[]; details: Record<string, unknown> };

export function isCountryAllowed(settings: Pick<PolicySettings, "allowedCountries">, country: string): boolean {
  return !settings.allowedCountries || settings.allowedCountries.includes(country);
}

export function isInBlockedRange(settings: Pick<PolicySettings, "blockedPrefixes">, e164: string): boolean {
  return settings.blockedPrefixes.some((prefix) => e164.startsWith(prefix));
}

/** What the policy alone refuses: known before any counter is spent on the attempt. */
export function policyWithheldReasons(snapshot: PolicySnapshot, phone: NormalizedPhone, prefix: string): SmsWithheldReason[] {
  const reasons: SmsWithheldReason[] = [];
  if (!isCountryAllowed(snapshot.settings, phone.country)) reasons.push("country_not_allowed");
  if (isInBlockedRange(snapshot.settings, phone.e164)) reasons.push("blocked_prefix");
  if (snapshot.heldPrefixes.has(prefix)) reasons.push("prefix_held");
  return reasons;
}

/** Velocity over the window: more attempts than the policy allows from one address or to one prefix. */
export function velocityReasons(settings: Pick<PolicySettings, "velocityMaxPerIp" | "velocityMaxPerPrefix">, counts: VelocityCounts): SmsWithheldReason[] {
  const reasons: SmsWithheldReason[] = [];
  if (counts.ip !== null && counts.ip > settings.velocityMaxPerIp) reasons.push("velocity_ip");
  if (counts.prefix > settings.velocityMaxPerPrefix) reasons.push("velocity_prefix");
  return reasons;
}

export function budgetReasons(
  settings: Pick<PolicySettings, "smsBudgetCountryPerHour" | "smsBudgetPrefixPerHour" | "smsBudgetGlobalPerMinute">,
  use: BudgetUse,
): SmsBudgetReason[] {
  const reasons: SmsBudgetReason[] = [];
  if (use.country > settings.smsBudgetCountryPerHour) reasons.push("sms_budget_country");
  if (use.prefix > settings.smsBudgetPrefixPerHour) reasons.push("sms_budget_prefix");
  if (use.global > settings.smsBudgetGlobalPerMinute) reasons.push("sms_budget_global");
  return reasons;
}

/**
 * Decides whether this attempt gets a code. Refusals by the number or the traffic come first
 * (they say more about the attempt); a budget is judged only for an attempt that is otherwise fine.
 */
export function decideSmsSending(snapshot: PolicySnapshot, phone: NormalizedPhone, prefix: string, counts: AttemptCounts | null): SmsVerdict {
  const { settings } = snapshot;
  const withheld = [...policyWithheldReasons(snapshot, phone, prefix), ...(counts ? velocityReasons(settings, counts.velocity) : [])];
  if (withheld.length > 0) {
    const details: Record<string, unknown> = { country: phone.country };
    if (counts) Object.assign(details, { velocity: counts.velocity, windowMinutes: settings.velocityWindowMinutes });
    return { send: false, kind: "sms_withheld", reasons: withheld, details };
  }
  if (counts?.budgets === "unavailable") {
    return { send: false, kind: "sms_budget", reasons: ["sms_budget_unavailable"], details: { country: phone.country } };
  }
  const over = counts?.budgets ? budgetReasons(settings, counts.budgets) : [];
  if (over.length > 0) {
    const budgets = { country: settings.smsBudgetCountryPerHour, prefix: settings.smsBudgetPrefixPerHour, global: settings.smsBudgetGlobalPerMinute };
    return { send: false, kind: "sms_budget", reasons: over, details: { country: phone.country, use: counts?.budgets, budgets } };
  }
  return { send: true };
}

/**
 * Velocity counters of an attempt; the window is the policy's, so a changed window starts
 * afresh. Without Redis they count per process, like the rate limits.
 */
export function velocityCounters(settings: Pick<PolicySettings, "velocityWindowMinutes">, ip: string | null, prefix: string): CounterSpec[] {
  const windowSeconds = settings.velocityWindowMinutes * 60;
  return [
    ...(ip ? [{ name: "velocity-ip", key: ip, windowSeconds, fallback: "memory" as const }] : []),
    { name: "velocity-prefix", key: prefix, windowSeconds, fallback: "memory" },
  ];
}

/**
 * The three budget counters an SMS to this number spends: per country and per prefix in the
 * clock hour, and in all in the clock minute. Clock-aligned windows (the bucket is in the key)
 * make "use this hour" a question anyone can ask, e.g. the Policy page. While Redis is down each
 * web process counts them in memory (codes keep flowing, and a process can spend each budget
 * once more per window); a count a live Redis does not confirm in time is asked again (it may
 * then hold one point too many, never too few), and if it still is not confirmed no code is sent
 * on a guess (sms_budget_unavailable).
 */
export function smsBudgetCounters(country: string, prefix: string, now: Date): [CounterSpec, CounterSpec, CounterSpec] {
  const hour = Math.floor(now.getTime() / 3_600_000);
  const minute = Math.floor(now.getTime() / 60_000);
  return [
    { name: "sms-country", key: `${hour}:${country}`, windowSeconds: 3600, fallback: "memory-if-down" },
    { name: "sms-prefix", key: `${hour}:${prefix}`, windowSeconds: 3600, fallback: "memory-if-down" },
    { name: "sms-global", key: String(minute), windowSeconds: 60, fallback: "memory-if-down" },
  ];
}
