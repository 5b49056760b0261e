import { randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { sha256Hex } from "@/lib/crypto";

/** A 6-digit verification code (uniform, leading zeros kept). */
export function generateVerificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** Bound to the registration so a code's hash is useless for any other one. */
export function hashVerificationCode(registrationId: string, code: string): string {
  return sha256Hex(`verification:${registrationId}:${code}`);
}

export function verificationCodeMatches(registrationId: string, code: string, storedHash: string): boolean {
  const actual = Buffer.from(hashVerificationCode(registrationId, code), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Crockford base32 without I, L, O, U: nothing to misread when a code is shared by voice.
const REFERRAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 8 characters, 40 bits: shareable; collisions are caught by the unique index and retried. */
export function generateReferralCode(): string {
  const bytes = randomBytes(8);
  let code = "";
  for (const byte of bytes) code += REFERRAL_ALPHABET[byte & 31];
  return code;
}

/** Case-insensitive, and forgiving of the letters Crockford base32 maps (O→0, I/L→1). */
export function normalizeReferralCode(input: string): string {
  return input.trim().toUpperCase().replaceAll("O", "0").replace(/[IL]/g, "1").replaceAll("-", "");
}
