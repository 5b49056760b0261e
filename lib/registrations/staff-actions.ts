// Staff operations on ONE registration that belong to the registration policy (SPEC §3.1,
// §3.8): remove, hold/clear, block, boost, reactivate a removed one. Each authorizes the actor
// itself and writes its audit row in the transaction that makes the change. Invitation-level
// operations (resend, revoke, reactivate expired) live with the invitations.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { blockedPhones, invitations, registrations, type Registration, type RegistrationStatus } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan, type Permission } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import {
  blockRegistrationInput,
  type BlockRegistrationInput,
  boostRegistrationInput,
  type BoostRegistrationInput,
  clearRegistrationInput,
  holdRegistrationInput,
  type HoldRegistrationInput,
  reactivateRemovedRegistrationInput,
  removeRegistrationInput,
  type RemoveRegistrationInput,
} from "./staff-actions.schema";

type Snapshot = Pick<Registration, "status" | "review" | "statusReason" | "boostPoints" | "priority" | "queuedAt">;

function snapshot(r: Registration): Snapshot {
  return { status: r.status, review: r.review, statusReason: r.statusReason, boostPoints: r.boostPoints, priority: r.priority, queuedAt: r.queuedAt };
}

/** Locks the registration, checks the actor and the allowed statuses, applies `change`, audits. */
async function actOnRegistration(
  db: Database,
  actor: Actor,
  options: {
    permission: Permission;
    registrationId: string;
    action: string;
    allowed: readonly RegistrationStatus[] | "any";
    change: (tx: Database, current: Registration) => Promise<Partial<Registration>>;
    auditExtra?: Record<string, unknown>;
  },
): Promise<Registration> {
  assertCan(actor, options.permission);
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(registrations).where(eq(registrations.id, options.registrationId)).for("update");
    if (!current) throw new AppError("not_found", "No such registration.");
    if (options.allowed !== "any" && !options.allowed.includes(current.status)) {
      throw new AppError(
        "invalid_state",
        `A registration that is ${current.status.replaceAll("_", " ")} cannot be changed this way (allowed: ${options.allowed.join(", ")}).`,
      );
    }
    const set = await options.change(tx, current);
    const [updated] = await tx.update(registrations).set(set).where(eq(registrations.id, current.id)).returning();
    await recordAudit(tx, {
      actor,
      action: options.action,
      targetType: "registration",
      targetId: current.id,
      before: snapshot(current),
      after: { ...snapshot(updated!), ...options.auditExtra },
    });
    return updated!;
  });
}

/** waiting (or not yet verified, or expired) → removed. The phone may register again, at the back. */
export async function removeRegistration(db: Database, actor: Actor, registrationId: string, input: RemoveRegistrationInput) {
  const { reason } = removeRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.remove",
    allowed: ["waiting", "pending_verification", "expired"],
    change: async () => ({ status: "removed", statusReason: reason, statusChangedAt: new Date(), verificationCodeHash: null, statusTokenHash: null }),
  });
}

/** removed → waiting at its original place (staff undo a removal; rule 4 is for self re-registration). */
export async function reactivateRemovedRegistration(
  db: Database,
  actor: Actor,
  registrationId: string,
  input: { reason?: string } = {},
) {
  const { reason } = reactivateRemovedRegistrationInput.parse(input);
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
    if (isUniqueViolation(error, "registrations_live_phone_key")) {
      throw new AppError("conflict", "This phone has registered again since; the newer registration is its place now.");
    }
    throw error;
  }
}

/** Keeps the entry in the queue (its position counts) but out of every batch until cleared. */
export async function holdRegistration(db: Database, actor: Actor, registrationId: string, input: HoldRegistrationInput = {}) {
  const { reason } = holdRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.hold",
    allowed: "any",
    auditExtra: { reason: reason ?? null },
    change: async () => ({ review: "hold" }),
  });
}

export async function clearRegistration(db: Database, actor: Actor, registrationId: string, input: HoldRegistrationInput = {}) {
  const { reason } = clearRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.clear",
    allowed: "any",
    auditExtra: { reason: reason ?? null },
    change: async () => ({ review: "clear" }),
  });
}

/**
 * Any status but admitted → blocked; the phone's salted hash joins the block list, so it can
 * never register again. A live invitation is revoked with it.
 */
export async function blockRegistration(db: Database, actor: Actor, registrationId: string, input: BlockRegistrationInput) {
  const { reason } = blockRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.block",
    allowed: ["pending_verification", "waiting", "invited", "expired", "lapsed", "removed"],
    change: async (tx, current) => {
      await tx
        .insert(blockedPhones)
        .values({ phoneHash: current.phoneHash, reason, registrationId: current.id, createdBy: actor.staffId })
        .onConflictDoNothing();
      await tx
        .update(invitations)
        .set({ status: "revoked" })
        .where(and(eq(invitations.registrationId, current.id), inArray(invitations.status, ["pending", "sent"])));
      return { status: "blocked", statusReason: reason, statusChangedAt: new Date(), verificationCodeHash: null };
    },
  });
}

/** Staff priority boost (growth/admin). Refuses `legacy_account`: the old service gives no advantage. */
export async function boostRegistration(db: Database, actor: Actor, registrationId: string, input: BoostRegistrationInput) {
  assertCan(actor, "manage_batches");
  const { points, reason, category } = boostRegistrationInput.parse(input);
  if (category === "legacy_account") {
    throw new AppError(
      "validation",
      "Boosts for old-service accounts are not allowed: the relaunch gives legacy users no advantage (fresh-registration policy).",
      { fieldErrors: [{ path: "category", message: "legacy_account boosts are refused by policy" }] },
    );
  }
  return actOnRegistration(db, actor, {
    permission: "manage_batches",
    registrationId,
    action: "registration.boost",
    allowed: ["pending_verification", "waiting", "invited", "expired"],
    auditExtra: { points, reason, category },
    change: async (_tx, current) => {
      if (current.boostPoints + points < 0) {
        throw new AppError("validation", `Boost points cannot go below 0 (currently ${current.boostPoints}).`, {
          fieldErrors: [{ path: "points", message: `must be at least ${-current.boostPoints}` }],
        });
      }
      return { boostPoints: sql`${registrations.boostPoints} + ${points}` as unknown as number };
    },
  });
}
