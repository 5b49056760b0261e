import type { Database } from "@/db/client";
import { notifications, type NewNotification, type Notification } from "@/db/schema";
import { currentRequestId } from "@/lib/log";
import { sealNotificationCode } from "./code-secret";

export type OutboxMessage = Pick<
  NewNotification,
  "kind" | "channel" | "registrationId" | "invitationId" | "recipient" | "locale" | "params" | "secret"
>;

/**
 * Puts messages in the outbox (`secret` is the plain code: it is stored sealed). Call it with the transaction that makes the change needing
 * them: the relay moves committed rows into BullMQ, so nothing here touches Redis.
 */
export async function insertNotifications(tx: Database, messages: OutboxMessage[]): Promise<Notification[]> {
  if (messages.length === 0) return [];
  return notificationsInsert(tx, messages).returning();
}

/**
 * The insert insertNotifications runs, not yet run: to send it within a larger statement. Each
 * row keeps the id of the request being handled; the relay hands it on to the delivery job.
 */
export function notificationsInsert(tx: Database, messages: OutboxMessage[]) {
  const requestId = currentRequestId() ?? null;
  return tx.insert(notifications).values(messages.map((m) => ({ ...m, requestId, ...(m.secret ? { secret: sealNotificationCode(m.secret) } : {}) })));
}
