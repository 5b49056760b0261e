// An internal phase's allow-list changes, inside the editing transaction: replaced wholesale (the
// admin API's `allowedPhones`), or entries added and removed — by number, in any format, or by the
// opaque reference the console shows instead of a number product staff may not read.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phaseAllowedPhones } from "@/db/schema";
import { loadPhoneHashSalt } from "@/lib/phone-hash";
import { allowedPhoneRef } from "./allowed-phone-entries";

export interface AllowListChange {
  added: number;
  removed: number;
  total: number;
}

const CHUNK = 5000;

export async function editAllowList(
  tx: Database,
  phaseId: string,
  edit: { replace?: string[]; add?: string[]; remove?: string[]; removeRefs?: string[] },
): Promise<AllowListChange | null> {
  const { replace, add = [], remove = [], removeRefs = [] } = edit;
  if (!replace && add.length === 0 && remove.length === 0 && removeRefs.length === 0) return null;
  const current = await tx.select({ phone: phaseAllowedPhones.phone }).from(phaseAllowedPhones).where(eq(phaseAllowedPhones.phaseId, phaseId));
  const have = new Set(current.map((r) => r.phone));
  const keep = replace ? new Set(replace) : null;
  const gone = new Set<string>(keep ? [...have].filter((p) => !keep.has(p)) : remove.filter((p) => have.has(p)));
  if (removeRefs.length > 0) {
    const salt = await loadPhoneHashSalt(tx);
    const refs = new Set(removeRefs);
    for (const phone of have) if (refs.has(allowedPhoneRef(salt, phaseId, phone))) gone.add(phone);
  }
  const added = [...new Set(replace ?? add)].filter((p) => !have.has(p) && !gone.has(p));
  const doomed = [...gone];
  for (let i = 0; i < doomed.length; i += CHUNK) {
    await tx.delete(phaseAllowedPhones).where(and(eq(phaseAllowedPhones.phaseId, phaseId), inArray(phaseAllowedPhones.phone, doomed.slice(i, i + CHUNK))));
  }
  for (let i = 0; i < added.length; i += CHUNK) {
    await tx.insert(phaseAllowedPhones).values(added.slice(i, i + CHUNK).map((phone) => ({ phaseId, phone })));
  }
  if (added.length === 0 && doomed.length === 0) return null;
  return { added: added.length, removed: doomed.length, total: have.size - doomed.length + added.length };
}
