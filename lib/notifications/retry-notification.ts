import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { lockNotification, notificationSnapshot } from "./lock-notification";

export const retryNotificationInput = z.object({ notificationId: z.uuid() });
export type RetryNotificationInput = z.input<typeof retryNotificationInput>;

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
    if (current.kind !== "invitation_reminder" && current.secret === null) {
      // Settled: its code was erased because it can no longer be used (SPEC §3.8).
      throw new AppError(
        "invalid_state",
        current.kind === "verification_code"
          ? "This code is no longer valid; the person can ask for a new one."
          : "This invitation's code is no longer valid; resend the invitation instead.",
      );
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
      before: notificationSnapshot(current),
      after: notificationSnapshot(updated!),
    });
    return updated!;
  });
}
