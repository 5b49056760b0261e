import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { lockNotification, notificationSnapshot } from "./lock-notification";

/**
 * Staff settle an `unknown` notification (a worker died mid-send) after checking with the
 * provider: `sent` (it was delivered) or `failed` (it was not; it can then be retried).
 */
export const resolveUnknownNotificationInput = z.object({
  notificationId: z.uuid(),
  outcome: z.enum(["sent", "failed"]),
  note: z.string().trim().max(500).optional(),
});
export type ResolveUnknownNotificationInput = z.input<typeof resolveUnknownNotificationInput>;

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
      before: notificationSnapshot(current),
      after: { ...notificationSnapshot(updated!), outcome, note: note ?? null },
    });
    return updated!;
  });
}
