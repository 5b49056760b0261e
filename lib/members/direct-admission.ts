import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { registrations } from "@/db/schema";
import { isEligibleForPhase, lockAdmissionRoom } from "@/lib/phases/admission";
import { getActivePhase } from "@/lib/phases/get-phase";
import { createMember } from "./create-member";

/**
 * In an `open` phase verification admits directly, no invitation needed (SPEC §3.3). Call it
 * inside the verification transaction, after the registration became `waiting`: when the
 * active phase is open, the person is eligible and not held, and capacity and the daily cap
 * leave room, the registration becomes `admitted` and a member is created (its bearer token
 * is returned once). Otherwise null: the person simply waits in the queue.
 */
export async function admitOnVerification(
  tx: Database,
  registrationId: string,
  now = new Date(),
): Promise<{ memberId: string; memberToken: string; inviteQuota: number } | null> {
  const phase = await getActivePhase(tx);
  if (!phase || phase.kind !== "open") return null;
  const [registration] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for("update").limit(1);
  if (!registration || registration.status !== "waiting" || registration.review !== "clear") return null;
  if (!(await isEligibleForPhase(tx, phase, registration))) return null;
  const room = await lockAdmissionRoom(tx, phase, now);
  if (room.left <= 0) return null;
  await tx.update(registrations).set({ status: "admitted", statusChangedAt: now }).where(eq(registrations.id, registrationId));
  const { member, memberToken } = await createMember(tx, { registrationId, phase, now });
  return { memberId: member.id, memberToken, inviteQuota: member.inviteQuota };
}
