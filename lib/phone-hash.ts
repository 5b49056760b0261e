import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { instanceSecrets } from "@/db/schema";
import { sha256Hex } from "@/lib/crypto";

/**
 * The salted hash of an E.164 phone kept in `registrations.phone_hash` and `blocked_phones`:
 * it outlives personal-data erasure, so it must be computed the same way everywhere (the
 * registration flow, the block list, the bulk seed). The bulk seed computes it in SQL as
 * `encode(sha256(convert_to(salt || ':' || phone, 'UTF8')), 'hex')` — keep both in step.
 */
export function phoneHash(salt: string, e164: string): string {
  return sha256Hex(`${salt}:${e164}`);
}

const saltCache = new WeakMap<Database, Promise<string>>();

/**
 * The installation's phone-hash salt (generated once by the migrations, never changed), read
 * once per database handle. A transaction is a handle of its own: pass the top-level one where
 * it matters (the registration path).
 */
export function loadPhoneHashSalt(db: Database): Promise<string> {
  let salt = saltCache.get(db);
  if (!salt) {
    salt = readSalt(db);
    saltCache.set(db, salt);
    // A failed read (database down) is not kept.
    salt.catch(() => saltCache.delete(db));
  }
  return salt;
}

async function readSalt(db: Database): Promise<string> {
  const [row] = await db
    .select({ salt: instanceSecrets.phoneHashSalt })
    .from(instanceSecrets)
    .where(eq(instanceSecrets.id, 1))
    .limit(1);
  if (!row) throw new Error("instance_secrets has no row: the database is not migrated");
  return row.salt;
}
