// Secrets at rest (SPEC §3.8: no secret at rest in clear). Secrets the server must read back (a
// webhook signing secret, a one-time code kept for a retry) are stored sealed with AES-256-GCM;
// secrets it only has to recognise (verification and invitation codes) are stored as keyed
// hashes (HMAC-SHA-256), so a database dump alone reveals neither. The key material is DATA_KEY,
// or AUTH_SECRET when DATA_KEY is unset; HKDF derives one subkey per purpose from it, so a value
// made for one use cannot be opened or matched as another. Changing that material makes every
// sealed secret unreadable and every live code unrecognisable (codes are short-lived: people ask
// for a new one).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env.js";

const VERSION = "v1";
// Development and tests only: without DATA_KEY or AUTH_SECRET there is nothing to derive from.
const DEVELOPMENT_MATERIAL = "gatehouse-development-data-key-not-for-production";

const keys = new Map<string, Buffer>();

function keyFor(purpose: string): Buffer {
  let key = keys.get(purpose);
  if (!key) {
    const material = env.DATA_KEY ?? env.AUTH_SECRET;
    if (!material && env.NODE_ENV === "production") throw new Error("DATA_KEY or AUTH_SECRET must be set to seal secrets");
    key = Buffer.from(hkdfSync("sha256", material ?? DEVELOPMENT_MATERIAL, "gatehouse", `gatehouse:${purpose}`, 32));
    keys.set(purpose, key);
  }
  return key;
}

/** Whether a stored value is in the sealed format (anything else is a value stored before sealing). */
export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`);
}

function sealWith(key: Buffer, iv: Buffer, plain: string): string {
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

/** `v1.<iv>.<ciphertext+tag>` (base64url). */
export function sealSecret(plain: string, purpose: string): string {
  return sealWith(keyFor(purpose), randomBytes(12), plain);
}

/** sealSecret of many values (a batch's codes): one draw of random bytes for all their IVs. */
export function sealSecrets(plains: string[], purpose: string): string[] {
  const key = keyFor(purpose);
  const ivs = randomBytes(12 * plains.length);
  return plains.map((plain, i) => sealWith(key, ivs.subarray(i * 12, i * 12 + 12), plain));
}

export function openSecret(sealed: string, purpose: string): string {
  const [version, iv, body] = sealed.split(".");
  if (version !== VERSION || !iv || !body) throw new Error("not a sealed secret");
  const bytes = Buffer.from(body, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}

/** HMAC-SHA-256 of `value` under the purpose's subkey, hex: what the database keeps of a code. */
export function keyedHash(value: string, purpose: string): string {
  return createHmac("sha256", keyFor(`hash:${purpose}`)).update(value, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests (false when either is malformed). */
export function sameDigest(actualHex: string, expectedHex: string): boolean {
  const actual = Buffer.from(actualHex, "hex");
  const expected = Buffer.from(expectedHex, "hex");
  return actual.length === 32 && actual.length === expected.length && timingSafeEqual(actual, expected);
}
