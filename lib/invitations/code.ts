import { randomBytes } from "node:crypto";
import { sha256Hex } from "@/lib/crypto";
import { keyedHash } from "@/lib/secret-box";

/** Crockford base32: no I, L, O or U, so a code read aloud or typed by hand survives. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 16 symbols × 5 bits = 80 bits of entropy (SPEC §3.4: at least 80). */
export const CODE_LENGTH = 16;

/** A fresh invitation code, canonical form (16 symbols, no dashes). */
export function generateInvitationCode(): string {
  const bytes = randomBytes(10); // 80 bits, exactly 16 five-bit symbols
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** `XXXX-XXXX-XXXX-XXXX`, as people see it in the message. */
export function formatInvitationCode(code: string): string {
  return code.match(/.{1,4}/g)!.join("-");
}

/**
 * The canonical code from what a person typed: case-insensitive, dashes and spaces ignored,
 * and Crockford's look-alikes mapped (I/L → 1, O → 0). Null when it cannot be a code.
 */
export function normalizeInvitationCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  if (cleaned.length !== CODE_LENGTH) return null;
  for (const ch of cleaned) if (!ALPHABET.includes(ch)) return null;
  return cleaned;
}

/** What the database stores: the keyed hash of the canonical code, never the code (SPEC §3.8). */
export function hashInvitationCode(canonicalCode: string): string {
  return keyedHash(canonicalCode, "invitation-code");
}

/**
 * The unkeyed SHA-256 invitations issued before codes were keyed carry. Redemption still looks
 * it up, so those invitations stay redeemable until they expire (80 random bits: the unkeyed
 * hash cannot be reversed; it only lacked the key). Nothing new is written with it.
 */
export function legacyInvitationCodeHash(canonicalCode: string): string {
  return sha256Hex(`invitation:${canonicalCode}`);
}
