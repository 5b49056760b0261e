// The staff second factor (SPEC §3.8): TOTP (RFC 6238, 6 digits, 30 s) with single-use recovery
// codes. The TOTP secret is stored sealed (lib/secret-box, AES-256-GCM), recovery codes only as
// keyed hashes (HMAC-SHA-256): a database dump reveals neither. A code is accepted once: the
// accepted time step is recorded, and a code of that step or an earlier one is refused after.
import { randomBytes } from "node:crypto";
import { and, eq, isNull, or, lt, sql } from "drizzle-orm";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Database } from "@/db/client";
import { staffRecoveryCodes, staffUsers, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { keyedHash, openSecret, sealSecret } from "@/lib/secret-box";

const TOTP_PURPOSE = "staff-totp";
const RECOVERY_PURPOSE = "staff-recovery-code";
export const RECOVERY_CODE_COUNT = 10;
/** A code from the previous or the next 30 s step is accepted too (clock drift, typing time). */
const TOLERANCE_SECONDS = 30;
const ISSUER = "Gatehouse";

const TOTP_FORMAT = /^\d{6}$/;

/** 10 characters of a 32-letter alphabet without look-alikes (50 bits), shown as `xxxxx-xxxxx`. */
function newRecoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const chars = Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function hashRecoveryCode(code: string): string {
  return keyedHash(normalizeRecoveryCode(code), RECOVERY_PURPOSE);
}

/** The time step a TOTP code matches (within the tolerance), or null. */
async function matchingStep(secret: string, code: string, afterStep: number | null): Promise<number | null> {
  if (!TOTP_FORMAT.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

/** Replaces a member's recovery codes with fresh ones; the plain codes are returned once. */
async function replaceRecoveryCodes(tx: Database, staffId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, staffId));
  await tx.insert(staffRecoveryCodes).values(codes.map((code) => ({ staffId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

export interface TwoFactorEnrolment {
  /** Base32, for typing into an authenticator app by hand. */
  secret: string;
  uri: string;
  /** The `otpauth://` URI as a QR code (a PNG data URL). */
  qrDataUrl: string;
}

/**
 * Starts (or restarts) enrolment: a new secret is kept sealed as pending until the member proves
 * their app has it (confirmTwoFactorEnrolment). An enabled factor stays in force meanwhile.
 */
export async function startTwoFactorEnrolment(db: Database, actor: Actor): Promise<TwoFactorEnrolment> {
  const secret = generateSecret();
  await db
    .update(staffUsers)
    .set({ totpPendingSecret: sealSecret(secret, TOTP_PURPOSE), updatedAt: new Date() })
    .where(eq(staffUsers.id, actor.staffId));
  return enrolmentOf(actor.email, secret);
}

async function enrolmentOf(email: string, secret: string): Promise<TwoFactorEnrolment> {
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** The enrolment in progress (after a page reload), or null. */
export async function pendingTwoFactorEnrolment(db: Database, actor: Actor): Promise<TwoFactorEnrolment | null> {
  const [row] = await db.select({ pending: staffUsers.totpPendingSecret }).from(staffUsers).where(eq(staffUsers.id, actor.staffId));
  return row?.pending ? enrolmentOf(actor.email, openSecret(row.pending, TOTP_PURPOSE)) : null;
}

/** Confirms enrolment with a code from the app: the factor is on, and recovery codes are returned once. */
export async function confirmTwoFactorEnrolment(db: Database, actor: Actor, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(staffUsers).where(eq(staffUsers.id, actor.staffId)).for("update");
    if (!row?.totpPendingSecret) throw new AppError("invalid_state", "Start the set-up again: no second factor is being set up.");
    const secret = openSecret(row.totpPendingSecret, TOTP_PURPOSE);
    const step = await matchingStep(secret, input.code.trim(), null);
    if (step === null) {
      throw new AppError("validation", "That code does not match. Check the time on your phone and try the current code.", {
        fieldErrors: [{ path: "code", message: "wrong code" }],
      });
    }
    await tx
      .update(staffUsers)
      .set({ totpSecret: row.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step, updatedAt: new Date() })
      .where(eq(staffUsers.id, actor.staffId));
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.staffId);
    await recordAudit(tx, {
      actor,
      action: row.totpSecret ? "staff.two_factor_replace" : "staff.two_factor_enable",
      targetType: "staff",
      targetId: actor.staffId,
      after: { email: row.email, twoFactor: true, recoveryCodes: RECOVERY_CODE_COUNT },
    });
    return { recoveryCodes };
  });
}

/** New recovery codes (the old ones stop working), returned once. */
export async function regenerateRecoveryCodes(db: Database, actor: Actor): Promise<{ recoveryCodes: string[] }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(staffUsers).where(eq(staffUsers.id, actor.staffId)).for("update");
    if (!row?.totpSecret) throw new AppError("invalid_state", "Set up a second factor first.");
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.staffId);
    await recordAudit(tx, {
      actor,
      action: "staff.recovery_codes_regenerate",
      targetType: "staff",
      targetId: actor.staffId,
      after: { email: row.email, recoveryCodes: RECOVERY_CODE_COUNT },
    });
    return { recoveryCodes };
  });
}

/**
 * Removes a member's second factor: their own (`actor` is the member), or an admin's reset for
 * someone who lost their phone — then their sessions end too (the phone may be in other hands).
 */
export async function removeTwoFactor(db: Database, actor: Actor, staffId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId)).for("update");
    if (!row) throw new AppError("not_found", "No such staff member.");
    if (!row.totpSecret && !row.totpPendingSecret) throw new AppError("invalid_state", `${row.email} has no second factor.`);
    await tx
      .update(staffUsers)
      .set({
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        ...(actor.staffId === staffId ? {} : { sessionVersion: sql`${staffUsers.sessionVersion} + 1` }),
        updatedAt: new Date(),
      })
      .where(eq(staffUsers.id, staffId));
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, staffId));
    await recordAudit(tx, {
      actor,
      action: actor.staffId === staffId ? "staff.two_factor_disable" : "staff.two_factor_reset",
      targetType: "staff",
      targetId: staffId,
      before: { email: row.email, twoFactor: Boolean(row.totpSecret) },
      after: { email: row.email, twoFactor: false },
    });
  });
}

/** Unused recovery codes of a member. */
export async function countRecoveryCodesLeft(db: Database, staffId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.staffId, staffId), isNull(staffRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/**
 * Checks the second step of a sign-in: a current TOTP code (each accepted once) or an unused
 * recovery code (then used up, audited). Both are claimed with a conditional UPDATE, so two
 * concurrent sign-ins with the same code cannot both pass.
 */
export async function verifySecondFactor(db: Database, staff: StaffUser, input: string): Promise<"totp" | "recovery_code" | null> {
  if (!staff.totpSecret) return null;
  const value = input.trim();
  if (TOTP_FORMAT.test(value)) {
    const step = await matchingStep(openSecret(staff.totpSecret, TOTP_PURPOSE), value, staff.totpLastStep);
    if (step === null) return null;
    const claimed = await db
      .update(staffUsers)
      .set({ totpLastStep: step })
      .where(and(eq(staffUsers.id, staff.id), or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step))))
      .returning({ id: staffUsers.id });
    return claimed.length === 1 ? "totp" : null;
  }
  if (normalizeRecoveryCode(value).length !== 10) return null;
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(staffRecoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(staffRecoveryCodes.staffId, staff.id),
          eq(staffRecoveryCodes.codeHash, hashRecoveryCode(value)),
          isNull(staffRecoveryCodes.usedAt),
        ),
      )
      .returning({ id: staffRecoveryCodes.id });
    if (!used) return null;
    await recordAudit(tx, {
      actor: { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" } },
      action: "staff.recovery_code_use",
      targetType: "staff",
      targetId: staff.id,
    });
    return "recovery_code";
  });
}
