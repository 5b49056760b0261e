// An internal phase's employee allow-list as staff see it and edit it. Product staff edit phases
// but see phones masked (SPEC §3.8), so an entry is named by an opaque reference — a keyed hash of
// (phase, phone) under the installation's phone-hash salt — that a form can send back to remove
// it, without the page ever holding the number. Typed numbers (any format) add and remove too.
import { createHmac } from "node:crypto";
import { asc, count, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phaseAllowedPhones } from "@/db/schema";
import { type Actor, phoneForRole } from "@/lib/auth/roles";
import { loadPhoneHashSalt } from "@/lib/phone-hash";

export interface AllowedPhoneEntry {
  /** Opaque: names the entry in a removal without revealing the number. */
  ref: string;
  /** As the actor's role may see it (masked for product). */
  phone: string;
}

/** Entries shown on a page; a longer list is edited by typing numbers. */
export const ALLOW_LIST_PAGE = 500;

export function allowedPhoneRef(salt: string, phaseId: string, phone: string): string {
  return createHmac("sha256", salt).update(`allow-list:${phaseId}:${phone}`).digest("base64url").slice(0, 22);
}

export async function listAllowedPhoneEntries(
  db: Database,
  actor: Actor,
  phaseId: string,
  limit = ALLOW_LIST_PAGE,
): Promise<{ total: number; entries: AllowedPhoneEntry[] }> {
  const [salt, [total], rows] = await Promise.all([
    loadPhoneHashSalt(db),
    db.select({ n: count() }).from(phaseAllowedPhones).where(eq(phaseAllowedPhones.phaseId, phaseId)),
    db
      .select({ phone: phaseAllowedPhones.phone })
      .from(phaseAllowedPhones)
      .where(eq(phaseAllowedPhones.phaseId, phaseId))
      .orderBy(asc(phaseAllowedPhones.phone))
      .limit(limit),
  ]);
  return {
    total: total?.n ?? 0,
    entries: rows.map((r) => ({ ref: allowedPhoneRef(salt, phaseId, r.phone), phone: phoneForRole(actor.role, r.phone) ?? "" })),
  };
}
