// Staff put a registration back in the queue (console and admin API): one "reactivate" for an
// `expired` registration (its invitation lapsed) and a `removed` one (staff undo a removal).
// Authorized here and audited in the transaction that makes the change.
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invitations, phases, registrations } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { actOnRegistration, lockRegistration, staffReason } from "./act-on-registration";

export const reactivateRegistrationInput = z.object({ reason: staffReason.optional() });
export type ReactivateRegistrationInput = z.input<typeof reactivateRegistrationInput>;

/** expired or removed → waiting; any other status is refused. */
export async function reactivateRegistration(
  db: Database,
  actor: Actor,
  registrationId: string,
  input: ReactivateRegistrationInput = {},
): Promise<{ status: "waiting" }> {
  assertCan(actor, "manage_registration");
  const { reason } = reactivateRegistrationInput.parse(input);
  const [current] = await db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, registrationId)).limit(1);
  if (current?.status === "removed") {
    await reactivateRemoved(db, actor, registrationId, reason);
    return { status: "waiting" };
  }
  return reactivateExpired(db, actor, registrationId, reason);
}

/** removed → waiting at its original place (staff undo a removal; rule 4 is for self re-registration). */
async function reactivateRemoved(db: Database, actor: Actor, registrationId: string, reason: string | undefined) {
  try {
    return await actOnRegistration(db, actor, {
      permission: "manage_registration",
      registrationId,
      action: "registration.reactivate",
      allowed: ["removed"],
      auditExtra: { reason: reason ?? null },
      change: async (_tx, current) => {
        if (current.erasedAt || !current.phone) {
          throw new AppError("invalid_state", "This registration's personal data has been erased; it cannot come back.");
        }
        const now = new Date();
        return {
          status: "waiting",
          statusReason: null,
          statusChangedAt: now,
          queuedAt: current.queuedAt ?? now,
          verifiedAt: current.verifiedAt ?? now,
        };
      },
    });
  } catch (error) {
    throw mapLivePhoneConflict(error);
  }
}

/** expired → waiting, where its last phase's `expiredPlacement` says (`original` = its old place, `back` = now). */
async function reactivateExpired(db: Database, actor: Actor, registrationId: string, reason: string | undefined) {
  return db.transaction(async (tx) => {
    const registration = await lockRegistration(tx, registrationId);
    if (registration.status !== "expired") {
      throw new AppError("invalid_state", `A ${registration.status.replaceAll("_", " ")} registration cannot be reactivated.`);
    }
    if (!registration.phone) throw new AppError("invalid_state", "This registration's personal data was erased; the person must register again.");
    const now = new Date();
    let queuedAt = registration.queuedAt ?? now;
    const [last] = await tx
      .select({ placement: phases.expiredPlacement })
      .from(invitations)
      .innerJoin(phases, eq(phases.id, invitations.phaseId))
      .where(eq(invitations.registrationId, registrationId))
      .orderBy(desc(invitations.createdAt))
      .limit(1);
    if (last?.placement === "back") queuedAt = now;
    try {
      await tx
        .update(registrations)
        .set({ status: "waiting", queuedAt, statusChangedAt: now, statusReason: null })
        .where(eq(registrations.id, registrationId));
    } catch (error) {
      throw mapLivePhoneConflict(error);
    }
    await recordAudit(tx, {
      actor,
      action: "registration.reactivate",
      targetType: "registration",
      targetId: registrationId,
      before: { status: registration.status, queuedAt: registration.queuedAt },
      after: { status: "waiting", queuedAt, reason: reason ?? null },
    });
    return { status: "waiting" as const };
  });
}

function mapLivePhoneConflict(error: unknown): unknown {
  if (isUniqueViolation(error, "registrations_live_phone_key")) {
    return new AppError("conflict", "This phone has registered again since; the newer registration holds its place.");
  }
  return error;
}
