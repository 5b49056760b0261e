import { randomBytes, randomInt } from "node:crypto";
import { sha256Hex } from "@/lib/crypto";
import { keyedHash, sameDigest } from "@/lib/secret-box";

/** A 6-digit verification code (uniform, leading zeros kept). */
export function generateVerificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/**
 * A keyed hash (SPEC §3.8): six digits hashed without a key are reversed in milliseconds from a
 * database dump. Bound to the registration so a code's hash is useless for any other one.
 */
export function hashVerificationCode(registrationId: string, code: string): string {
  return keyedHash(`${registrationId}:${code}`, "verification-code");
}

/**
 * Hashes written before codes were keyed (unkeyed SHA-256) are still recognised: they exist
 * only on registrations waiting for verification, so they are gone within one verification
 * window (the lapse sweep clears them with the registration).
 */
function legacyVerificationHash(registrationId: string, code: string): string {
  return sha256Hex(`verification:${registrationId}:${code}`);
}

export function verificationCodeMatches(registrationId: string, code: string, storedHash: string): boolean {
  const keyed = sameDigest(hashVerificationCode(registrationId, code), storedHash);
  const legacy = sameDigest(legacyVerificationHash(registrationId, code), storedHash);
  return keyed || legacy;
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
