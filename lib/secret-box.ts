// Secrets the server must read back (e.g. a webhook signing secret) are stored sealed with
// AES-256-GCM (SPEC §3.8: no secret at rest in clear). The key is DATA_KEY, or derived from
// AUTH_SECRET with HKDF when DATA_KEY is unset; each purpose gets its own subkey, so a value
// sealed for one use cannot be opened as another.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
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

/** `v1.<iv>.<ciphertext+tag>` (base64url). */
export function sealSecret(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

export function openSecret(sealed: string, purpose: string): string {
  const [version, iv, body] = sealed.split(".");
  if (version !== VERSION || !iv || !body) throw new Error("not a sealed secret");
  const bytes = Buffer.from(body, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}
