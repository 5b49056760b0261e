// The frame of a staff change to ONE registration (SPEC §3.1, §3.8): lock the row, authorize the
// actor, check the allowed statuses, apply the change, and write the audit row in the same
// transaction. Each operation is its own file beside this one (remove-registration.ts, …).
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { registrations, type Registration, type RegistrationStatus } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan, type Permission } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

/** Why staff changed a registration; kept in the audit row. */
export const staffReason = z.string().trim().min(3, "give a reason (at least 3 characters)").max(500);

type Snapshot = Pick<Registration, "status" | "review" | "statusReason" | "boostPoints" | "priority" | "queuedAt">;

function snapshot(r: Registration): Snapshot {
  return { status: r.status, review: r.review, statusReason: r.statusReason, boostPoints: r.boostPoints, priority: r.priority, queuedAt: r.queuedAt };
}

/** The registration row, locked for the rest of the transaction. */
export async function lockRegistration(tx: Database, registrationId: string): Promise<Registration> {
  const [row] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for("update").limit(1);
  if (!row) throw new AppError("not_found", "No such registration.");
  return row;
}

/** Locks the registration, checks the actor and the allowed statuses, applies `change`, audits. */
export async function actOnRegistration(
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
    const current = await lockRegistration(tx, options.registrationId);
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
