// The live invitation a staff operation works on, locked for the transaction.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, phases } from "@/db/schema";

/** The registration's pending or sent invitation with its phase, or null. */
export async function liveInvitation(tx: Database, registrationId: string) {
  const [row] = await tx
    .select({ invitation: invitations, phase: phases })
    .from(invitations)
    .innerJoin(phases, eq(phases.id, invitations.phaseId))
    .where(and(eq(invitations.registrationId, registrationId), inArray(invitations.status, ["pending", "sent"])))
    .for("update", { of: invitations })
    .limit(1);
  return row ?? null;
}
