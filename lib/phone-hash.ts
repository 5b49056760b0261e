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

/** The installation's phone-hash salt (generated once by the migrations, never changed). */
export async function loadPhoneHashSalt(db: Database): Promise<string> {
  const [row] = await db
    .select({ salt: instanceSecrets.phoneHashSalt })
    .from(instanceSecrets)
    .where(eq(instanceSecrets.id, 1))
    .limit(1);
  if (!row) throw new Error("instance_secrets has no row: the database is not migrated");
  return row.salt;
}

const saltCache = new WeakMap<Database, Promise<string>>();

/** loadPhoneHashSalt once per database handle: the salt never changes after the migrations. */
export function cachedPhoneHashSalt(db: Database): Promise<string> {
  let salt = saltCache.get(db);
  if (!salt) {
    salt = loadPhoneHashSalt(db);
    saltCache.set(db, salt);
    // A failed load (database down) is not cached.
    salt.catch(() => saltCache.delete(db));
  }
  return salt;
}
