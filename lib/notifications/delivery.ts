// Sending one notification, never twice: the row is claimed (pending|queued → sending) by a
// conditional update before the provider is called. A job delivered again (stalled, retried
// after a crash, added twice) finds the row no longer claimable and does nothing. A worker that
// dies between claim and "sent" leaves `sending`; the stale-claim sweep turns that into
// `unknown` for staff to resolve — it is never resent blindly.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, notifications, type Notification } from "@/db/schema";
import { renderNotification } from "./templates";
import { DeliveryError, type NotificationProviders, type OutgoingMessage } from "./providers/types";

/** Claims a row for sending; null when it is not claimable (already claimed, sent, failed…). */
export async function claimNotification(db: Database, id: string): Promise<Notification | null> {
  const [row] = await db
    .update(notifications)
    .set({
      status: "sending",
      claimedAt: sql`now()`,
      attempts: sql`${notifications.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(notifications.id, id), inArray(notifications.status, ["pending", "queued"])))
    .returning();
  return row ?? null;
}

/**
 * Records a provider's acceptance and wipes the code. Also accepts `unknown` (the stale sweep
 * may have run during a very slow send: the truth is that it was sent).
 */
export async function markNotificationSent(db: Database, row: Pick<Notification, "id" | "kind" | "invitationId">, providerMessageId: string): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "sent", sentAt: sql`now()`, providerMessageId, secret: null, lastError: null, updatedAt: sql`now()` })
    .where(and(eq(notifications.id, row.id), inArray(notifications.status, ["sending", "unknown"])));
  if (row.invitationId && (row.kind === "invitation" || row.kind === "reactivation")) {
    await db
      .update(invitations)
      .set({ status: "sent", sentAt: sql`now()` })
      .where(and(eq(invitations.id, row.invitationId), eq(invitations.status, "pending")));
  }
}

/** Gives a claimed row back for the next attempt (the queue retries it after a backoff). */
export async function releaseNotificationForRetry(db: Database, id: string, error: string): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "queued", lastError: error, updatedAt: sql`now()` })
    .where(and(eq(notifications.id, id), eq(notifications.status, "sending")));
}

/**
 * Gives up. The code stays (staff may retry a failed notification); it is wiped when sent or
 * when staff resolve the row.
 */
export async function markNotificationFailed(db: Database, id: string, error: string): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "failed", failedAt: sql`now()`, lastError: error, updatedAt: sql`now()` })
    .where(and(eq(notifications.id, id), eq(notifications.status, "sending")));
}

export function toOutgoingMessage(row: Notification): OutgoingMessage {
  const rendered = renderNotification({
    kind: row.kind,
    channel: row.channel,
    locale: row.locale,
    params: row.params,
    code: row.secret,
  });
  const message: OutgoingMessage = {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    to: row.recipient,
    locale: row.locale,
    body: rendered.body,
  };
  if (rendered.subject) message.subject = rendered.subject;
  if (row.secret) message.code = row.secret;
  if (rendered.expiresAt) message.expiresAt = rendered.expiresAt;
  return message;
}

export type DeliveryOutcome =
  | { status: "sent"; providerMessageId: string }
  /** Not claimable: someone else has (or had) it. Nothing was sent by this call. */
  | { status: "skipped" }
  | { status: "retry"; error: string }
  | { status: "failed"; error: string };

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 500);
}

/**
 * Claim → render → provider → mark. `finalAttempt` turns a retryable failure into `failed`.
 * Non-provider errors (database down…) propagate: the claim, if made, stays `sending` and the
 * stale sweep reports it as `unknown`, because whether the provider got it is not known.
 */
export async function deliverNotification(
  db: Database,
  id: string,
  options: { providers: NotificationProviders; finalAttempt: boolean },
): Promise<DeliveryOutcome> {
  const row = await claimNotification(db, id);
  if (!row) return { status: "skipped" };
  const provider = options.providers[row.channel];
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await provider.send(toOutgoingMessage(row)));
  } catch (error) {
    const message = describe(error);
    const retryable = error instanceof DeliveryError ? error.retryable : false;
    if (retryable && !options.finalAttempt) {
      await releaseNotificationForRetry(db, id, message);
      return { status: "retry", error: message };
    }
    await markNotificationFailed(db, id, message);
    return { status: "failed", error: message };
  }
  await markNotificationSent(db, row, providerMessageId);
  return { status: "sent", providerMessageId };
}
