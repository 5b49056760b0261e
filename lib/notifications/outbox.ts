import type { Database } from "@/db/client";
import { notifications, type NewNotification, type Notification } from "@/db/schema";
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

/** The insert insertNotifications runs, not yet run: to send it within a larger statement. */
export function notificationsInsert(tx: Database, messages: OutboxMessage[]) {
  return tx.insert(notifications).values(messages.map((m) => (m.secret ? { ...m, secret: sealNotificationCode(m.secret) } : m)));
}
