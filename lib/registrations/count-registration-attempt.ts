// The Redis side of POST /api/v1/registrations: the public API's rate limits (SPEC §5), the
// velocity counts and the SMS budgets (SPEC §3.2 rule 7), consumed in the same tick so they
// cost one round trip (the rate-limit connection auto-pipelines). Every counter is single-key.
//
// Budgets are spent optimistically, before the database says whether a code will be sent; an
// attempt that ends without a code gives its budget points back (refundBudgets, not awaited), so
// the counters hold the codes actually sent. Velocity counts every attempt, refused ones too.
import type { Database } from "@/db/client";
import { loadPolicySnapshot } from "@/lib/policy/load-policy-snapshot";
import { type AttemptCounts, policyWithheldReasons, smsBudgetCounters, velocityCounters } from "@/lib/policy/sms-spending-rules";
import { type PhoneResult, phonePrefix } from "@/lib/phone/normalize-phone";
import { type RateLimiter, rateLimitedError } from "@/lib/rate-limit/rate-limiter";

export interface RegistrationCounts extends AttemptCounts {
  /**
   * Budget use including this attempt; null when none was spent (the policy refuses the code
   * anyway); "unavailable" when Redis could not count it: no code is sent on a guess.
   */
  budgets: AttemptCounts["budgets"];
  /** Gives the budget points back, without waiting; call it when no code is sent after all. Idempotent. */
  refundBudgets(): void;
}

export interface RegistrationAttempt {
  /** The address per-address limits use ("unknown" without a front server). */
  clientAddress: string;
  /** The same, or null when unknown: nothing to count velocity on. */
  ip: string | null;
  /** normalizePhone of the body's phone; `rawPhone` keys the per-phone limit of unreadable ones. */
  phone: PhoneResult;
  rawPhone: string;
  now?: Date;
}

/**
 * Consumes the attempt's rate limits, velocity and budgets. Throws AppError("rate_limited") when
 * a rate limit is exhausted (budgets refunded first). Returns null for a number that is not a
 * valid mobile: it is rate-limited like any other, and refused with a 400 by registerPhone.
 */
export async function countRegistrationAttempt(db: Database, limiter: RateLimiter, attempt: RegistrationAttempt): Promise<RegistrationCounts | null> {
  const phone = attempt.phone.ok ? attempt.phone.phone : null;
  const rules: Parameters<RateLimiter["consumeTogether"]>[0] = [
    ["registerPerIp", attempt.clientAddress],
    ["registerPerPhone", phone ? phone.e164 : attempt.rawPhone.replace(/\D/g, "")],
  ];
  if (!phone) {
    await limiter.consume(rules);
    return null;
  }
  const snapshot = await loadPolicySnapshot(db);
  const prefix = phonePrefix(phone, snapshot.settings.velocityPrefixDigits);
  const velocity = velocityCounters(snapshot.settings, attempt.ip, prefix);
  // A number the policy refuses gets no code whatever the counts: it spends no budget.
  const budgets = policyWithheldReasons(snapshot, phone, prefix).length === 0 ? smsBudgetCounters(phone.country, prefix, attempt.now ?? new Date()) : [];
  const result = await limiter.consumeTogether(rules, [...velocity, ...budgets]);

  const velocityResults = result.counters.slice(0, velocity.length);
  const budgetResults = result.counters.slice(velocity.length);
  // Only counted budgets are refunded: one Redis could not answer for may or may not have moved.
  const counted = budgets.filter((_, i) => budgetResults[i] !== null);
  let refunded = counted.length === 0;
  const refundBudgets = () => {
    if (refunded) return;
    refunded = true;
    limiter.refund(counted);
  };
  const retryAfterMs = Math.max(0, ...result.rules);
  if (retryAfterMs > 0) {
    refundBudgets();
    throw rateLimitedError(retryAfterMs);
  }
  // Velocity counters fall back to this process's memory: always counted.
  const [ipCount, prefixCount] = attempt.ip ? [velocityResults[0]!.count, velocityResults[1]!.count] : [null, velocityResults[0]!.count];
  let budgetUse: RegistrationCounts["budgets"] = null;
  if (budgets.length > 0) {
    budgetUse = budgetResults.some((r) => r === null)
      ? "unavailable"
      : { country: budgetResults[0]!.count, prefix: budgetResults[1]!.count, global: budgetResults[2]!.count };
  }
  return { velocity: { ip: ipCount, prefix: prefixCount }, budgets: budgetUse, refundBudgets };
}
