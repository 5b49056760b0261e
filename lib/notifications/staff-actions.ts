// Staff operations on one notification (console "Notifications & queues", admin API): retry a
// failed one, settle an unknown one. Authorized here and audited in the same transaction.
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import {
  resolveUnknownNotificationInput,
  retryNotificationInput,
  type ResolveUnknownNotificationInput,
  type RetryNotificationInput,
} from "./staff-actions.schema";

type Snapshot = Pick<Notification, "status" | "attempts" | "lastError" | "recipient">;
const snapshot = (n: Notification): Snapshot => ({ status: n.status, attempts: n.attempts, lastError: n.lastError, recipient: n.recipient });

async function lockNotification(tx: Database, id: string): Promise<Notification> {
  const [row] = await tx.select().from(notifications).where(eq(notifications.id, id)).for("update");
  if (!row) throw new AppError("not_found", "No such notification.");
  return row;
}

/**
 * failed → pending: the relay queues it again (replacing the finished job that shares its id)
 * and it goes through the claim like any other, so it is still sent at most once from here.
 */
export async function retryNotification(db: Database, actor: Actor, input: RetryNotificationInput): Promise<Notification> {
  assertCan(actor, "manage_registration");
  const { notificationId } = retryNotificationInput.parse(input);
  return db.transaction(async (tx) => {
    const current = await lockNotification(tx, notificationId);
    if (current.status !== "failed") {
      throw new AppError("invalid_state", `Only failed notifications can be retried; this one is ${current.status}.`);
    }
    const [updated] = await tx
      .update(notifications)
      .set({ status: "pending", failedAt: null, queuedAt: null, claimedAt: null, updatedAt: sql`now()` })
      .where(eq(notifications.id, notificationId))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "notification.retry",
      targetType: "notification",
      targetId: notificationId,
      before: snapshot(current),
      after: snapshot(updated!),
    });
    return updated!;
  });
}

/** unknown → sent (code wiped) or failed (code kept so it can be retried). */
export async function resolveUnknownNotification(db: Database, actor: Actor, input: ResolveUnknownNotificationInput): Promise<Notification> {
  assertCan(actor, "manage_registration");
  const { notificationId, outcome, note } = resolveUnknownNotificationInput.parse(input);
  return db.transaction(async (tx) => {
    const current = await lockNotification(tx, notificationId);
    if (current.status !== "unknown") {
      throw new AppError("invalid_state", `Only notifications in status unknown can be resolved; this one is ${current.status}.`);
    }
    const change =
      outcome === "sent"
        ? { status: "sent" as const, sentAt: sql`now()`, secret: null, lastError: null }
        : { status: "failed" as const, failedAt: sql`now()`, lastError: note ? `resolved as failed: ${note}` : "resolved as failed by staff" };
    const [updated] = await tx
      .update(notifications)
      .set({ ...change, updatedAt: sql`now()` })
      .where(eq(notifications.id, notificationId))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "notification.resolve",
      targetType: "notification",
      targetId: notificationId,
      before: snapshot(current),
      after: { ...snapshot(updated!), outcome, note: note ?? null },
    });
    return updated!;
  });
}
