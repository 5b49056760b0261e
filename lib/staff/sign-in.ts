// Every password check of a staff member goes through here (SPEC §3.8): the Auth.js credentials
// provider calls checkStaffSignIn — the one place the console form AND every Auth.js endpoint
// (POST /api/auth/callback/credentials) reach — and a password change calls
// guardedPasswordCheck. The order is what makes it hold under concurrency:
//   1. a verification slot (at most a few argon2 checks at once; none free → "busy" at once);
//   2. the throttle is CONSUMED (one point per (client address, account) and per client address,
//      atomically in Redis) before the password is checked — so fifty concurrent guesses cannot
//      all pass a "was it blocked?" look taken before any of them is counted;
//   3. argon2id; only then the second factor.
// A successful sign-in gives the (address, account) points back. There is no count per account
// alone: guessing from one address never locks the account's owner out elsewhere.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RateLimiter } from "@/lib/rate-limit/rate-limiter";
import { verifyStaffCredentials } from "./find-staff";
import { verifySecondFactor } from "./two-factor";
import type { VerificationSlots } from "./verification-slots";

export interface PasswordGuard {
  limiter: RateLimiter;
  slots: VerificationSlots;
}

export type GuardRefusal = { ok: false; reason: "busy" } | { ok: false; reason: "throttled"; retryAfterSeconds: number };

function pairKey(clientAddress: string, email: string): string {
  return `${clientAddress}|${email.trim().toLowerCase()}`;
}

/**
 * Runs `check` (an argon2 verification) under the guard: a slot, then one throttle point of the
 * (address, account) pair and of the address. `check` answers whether the attempt passed — then
 * the pair's points are all given back — or, with `refund`, that it was no guess (the right
 * password, its second step still to come): then this attempt's points only.
 */
export async function guardedPasswordCheck<C extends { passed: boolean; refund?: boolean }>(
  guard: PasswordGuard,
  attempt: { clientAddress: string; email: string },
  check: () => Promise<C>,
): Promise<GuardRefusal | ({ ok: true } & C)> {
  const release = guard.slots.tryAcquire();
  if (!release) return { ok: false, reason: "busy" };
  try {
    const pair = pairKey(attempt.clientAddress, attempt.email);
    const { rules } = await guard.limiter.consumeTogether(
      [
        ["signInPerAddressAccount", pair],
        ["signInPerAddress", attempt.clientAddress],
      ],
      [],
    );
    const waitMs = Math.max(0, ...rules);
    if (waitMs > 0) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
    const result = await check();
    if (result.passed) {
      await guard.limiter.reset("signInPerAddressAccount", pair).catch(() => {});
      guard.limiter.refundRule("signInPerAddress", attempt.clientAddress);
    } else if (result.refund) {
      // Not a reset: the second-factor guesses already counted against the pair stay counted.
      guard.limiter.refundRule("signInPerAddressAccount", pair);
      guard.limiter.refundRule("signInPerAddress", attempt.clientAddress);
    }
    return { ok: true, ...result };
  } finally {
    release();
  }
}

export interface StaffSignInInput {
  email: string;
  password: string;
  /** A TOTP code or a recovery code: the second step, for members with a second factor. */
  secondFactor?: string;
  clientAddress: string;
  requestId?: string;
}

export type StaffSignInResult =
  | { ok: true; staff: StaffUser }
  | GuardRefusal
  | { ok: false; reason: "credentials" | "second_factor_required" | "second_factor_invalid" };

export async function checkStaffSignIn(db: Database, guard: PasswordGuard, input: StaffSignInInput): Promise<StaffSignInResult> {
  type Method = "password" | "password+totp" | "password+recovery_code";
  type Checked =
    | { passed: true; value: StaffUser; method: Method }
    | { passed: false; value: "credentials" | "second_factor_invalid" }
    | { passed: false; value: "second_factor_required"; refund: true };
  const outcome = await guardedPasswordCheck(guard, input, async (): Promise<Checked> => {
    const staff = await verifyStaffCredentials(db, input.email, input.password);
    if (!staff) return { passed: false, value: "credentials" };
    // The password is right. With a second factor, that alone does not count as a success: the
    // pair's points are given back only once the whole sign-in passes.
    if (!staff.totpSecret) return { passed: true, value: staff, method: "password" };
    if (!input.secondFactor) return { passed: false, value: "second_factor_required", refund: true };
    const factor = await verifySecondFactor(db, staff, input.secondFactor);
    if (!factor) return { passed: false, value: "second_factor_invalid" };
    return { passed: true, value: staff, method: factor === "totp" ? "password+totp" : "password+recovery_code" };
  });
  if (!outcome.ok) return outcome;
  if (!outcome.passed) return { ok: false, reason: outcome.value };
  const staff = outcome.value;
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ lastSignInAt: new Date() }).where(eq(staffUsers.id, staff.id));
    await recordAudit(tx, {
      actor: { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" }, requestId: input.requestId },
      action: "staff.sign_in",
      targetType: "staff",
      targetId: staff.id,
      after: { method: outcome.method, clientAddress: input.clientAddress },
    });
  });
  return { ok: true, staff };
}
