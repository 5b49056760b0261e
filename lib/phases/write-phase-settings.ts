// What creating and editing a phase share: the allow-list replaced wholesale, the audited settings.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phaseAllowedPhones, type Phase } from "@/db/schema";

export async function replaceAllowedPhones(tx: Database, phaseId: string, phones: string[]): Promise<void> {
  await tx.delete(phaseAllowedPhones).where(eq(phaseAllowedPhones.phaseId, phaseId));
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += 5000) {
    await tx.insert(phaseAllowedPhones).values(unique.slice(i, i + 5000).map((phone) => ({ phaseId, phone })));
  }
}

export function settingsForAudit(p: Phase) {
  const { createdAt: _c, updatedAt: _u, ...rest } = p;
  return rest;
}
