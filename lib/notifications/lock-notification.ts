// The frame of a staff change to one notification (console "Notifications & queues", admin API):
// the row locked for the transaction and the fields its audit rows keep.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { AppError } from "@/lib/errors";

type Snapshot = Pick<Notification, "status" | "attempts" | "lastError" | "recipient">;
export const notificationSnapshot = (n: Notification): Snapshot => ({ status: n.status, attempts: n.attempts, lastError: n.lastError, recipient: n.recipient });

export async function lockNotification(tx: Database, id: string): Promise<Notification> {
  const [row] = await tx.select().from(notifications).where(eq(notifications.id, id)).for("update");
  if (!row) throw new AppError("not_found", "No such notification.");
  return row;
}
