// The Redis side of POST /api/v1/registrations/{id}/verify (SPEC §3.2 rule 8: a stranger cannot
// keep someone else out). Three limits, consumed in one round trip:
// - per client address, over all registrations (verifyPerIp): a scanner's ceiling;
// - per (registration, client address): policy `verificationMaxAttempts` tries per code window
//   (`verificationWindowMinutes`). One client's wrong guesses lock out that client only; nothing
//   voids the code, so the person holding it still verifies from their own device;
// - per registration (verifyPerRegistration, 30 per 30 minutes by default): what bounds brute
//   force across many addresses. Only attempts that passed the two per-address limits count
//   towards it (the others get their point back), so one client — however hard it hammers —
//   adds at most verificationMaxAttempts to it: locking a victim out takes
//   verifyPerRegistration / verificationMaxAttempts (6) distinct addresses inside the window.
// Bound on guessing: a code lives verificationWindowMinutes (30); per registration at most 30
// guesses per 30 minutes, so at most 60 against one code — a 6-digit code falls with probability
// ≤ 60 / 10⁶ = 6·10⁻⁵, and each new code costs the guesser an SMS to the victim (rate-limited
// per phone and budgeted).
import type { Database } from "@/db/client";
import { loadPolicySnapshot } from "@/lib/policy/load-policy-snapshot";
import { type RateLimiter, rateLimitedError } from "@/lib/rate-limit/rate-limiter";

export async function countVerificationAttempt(
  db: Database,
  limiter: RateLimiter,
  attempt: { registrationId: string; clientAddress: string },
): Promise<void> {
  const { settings } = await loadPolicySnapshot(db);
  const client = { name: "verify-client", key: `${attempt.registrationId}:${attempt.clientAddress}`, windowSeconds: settings.verificationWindowMinutes * 60, fallback: "memory" as const };
  const { rules, counters } = await limiter.consumeTogether(
    [
      ["verifyPerIp", attempt.clientAddress],
      ["verifyPerRegistration", attempt.registrationId],
    ],
    [client],
  );
  const [perIp, perRegistration] = rules as [number, number];
  // Insured: without Redis it counts in this process.
  const fromClient = counters[0]!;
  const clientLimited = fromClient.count > settings.verificationMaxAttempts ? fromClient.msBeforeNext : 0;
  if (perIp > 0 || clientLimited > 0) {
    // Refused before the registration-wide count mattered: it must not count against the
    // person who holds the code.
    limiter.refundRule("verifyPerRegistration", attempt.registrationId);
    throw rateLimitedError(Math.max(perIp, clientLimited));
  }
  if (perRegistration > 0) throw rateLimitedError(perRegistration);
}
