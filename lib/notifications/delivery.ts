// Sending one notification, never twice: the row is claimed (pending|queued → sending) by a
// conditional update before the provider is called. A job delivered again (stalled, retried
// after a crash, added twice) finds the row no longer claimable and does nothing. A worker that
// dies between claim and "sent" leaves `sending`; the stale-claim sweep turns that into
// `unknown` for staff to resolve — it is never resent blindly.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { createBatcher } from "@/lib/batcher";
import { unavailableStoreOf } from "@/lib/errors";
import { openNotificationCode } from "./code-secret";
import { renderNotification } from "./templates";
import { DeliveryError, type NotificationProviders, type OutgoingMessage } from "./providers/types";

/** What sending needs of a claimed row. */
export type ClaimedNotification = Pick<
  Notification,
  "id" | "kind" | "channel" | "recipient" | "locale" | "params" | "secret" | "invitationId"
>;

/**
 * Claims rows for sending: pending|queued → sending, attempts + 1. Returns the rows this call
 * claimed; an id missing from the result was not claimable (already claimed, sent, failed…).
 *
 * One statement text whatever the number of ids (an array parameter, not an IN list), so each
 * connection prepares it once. The ids are joined through the primary key only: a plan that
 * also walks a status index would visit every queued row (and its dead versions) per claim.
 */
export async function claimNotifications(db: Database, ids: string[]): Promise<ClaimedNotification[]> {
  if (ids.length === 0) return [];
  const rows = await db.execute<{
    id: string;
    kind: Notification["kind"];
    channel: Notification["channel"];
    recipient: string;
    locale: Notification["locale"];
    params: Notification["params"];
    secret: string | null;
    invitation_id: string | null;
  }>(sql`
    update notifications n
    set status = 'sending', claimed_at = now(), attempts = n.attempts + 1, updated_at = now()
    from unnest(${sql.param(ids)}::uuid[]) as claim(id)
    where n.id = claim.id and n.status in ('pending', 'queued')
    returning n.id, n.kind, n.channel, n.recipient, n.locale, n.params, n.secret, n.invitation_id`);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    recipient: r.recipient,
    locale: r.locale,
    params: r.params,
    secret: r.secret,
    invitationId: r.invitation_id,
  }));
}

export async function claimNotification(db: Database, id: string): Promise<ClaimedNotification | null> {
  const [row] = await claimNotifications(db, [id]);
  return row ?? null;
}

export interface SentReceipt {
  row: Pick<Notification, "id" | "kind" | "invitationId">;
  providerMessageId: string;
}

/**
 * Records providers' acceptances and wipes the codes. Also accepts `unknown` (the stale sweep
 * may have run during a very slow send: the truth is that it was sent). An invitation whose
 * message went out becomes `sent`.
 */
export async function markNotificationsSent(db: Database, receipts: SentReceipt[]): Promise<void> {
  if (receipts.length === 0) return;
  const ids = receipts.map((r) => r.row.id);
  const providerMessageIds = receipts.map((r) => r.providerMessageId);
  await db.execute(sql`
    update notifications n
    set status = 'sent', sent_at = now(), provider_message_id = receipt.provider_message_id,
        secret = null, last_error = null, updated_at = now()
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(providerMessageIds)}::text[]) as receipt(id, provider_message_id)
    where n.id = receipt.id and n.status in ('sending', 'unknown')`);
  const invitationIds = receipts
    .filter((r) => r.row.invitationId && (r.row.kind === "invitation" || r.row.kind === "reactivation"))
    .map((r) => r.row.invitationId!);
  if (invitationIds.length > 0) {
    await db.execute(sql`
      update invitations set status = 'sent', sent_at = now()
      where id = any(${sql.param(invitationIds)}::uuid[]) and status = 'pending'`);
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

/** The message a claimed row stands for; its code is opened here, right before sending. */
export function toOutgoingMessage(row: ClaimedNotification): OutgoingMessage {
  let code: string | null;
  try {
    code = openNotificationCode(row.secret);
  } catch (error) {
    throw new DeliveryError("the message's code could not be opened (was DATA_KEY changed?)", { retryable: false, cause: error });
  }
  const rendered = renderNotification({
    kind: row.kind,
    channel: row.channel,
    locale: row.locale,
    params: row.params,
    code,
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
  if (code) message.code = code;
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

export interface DeliveryPipeline {
  /**
   * Claim → render → provider → mark. `finalAttempt` turns a retryable failure into `failed`.
   * Non-provider errors (database down…) propagate: a claim already made stays `sending` and
   * the stale sweep reports it `unknown`, because whether the provider got it is not known.
   */
  deliver(id: string, options: { finalAttempt: boolean }): Promise<DeliveryOutcome>;
  /** Waits until every "sent" mark handed out so far is committed (call before closing the db). */
  flush(): Promise<void>;
}

/**
 * The delivery path of one worker process. Claims and "sent" marks of concurrent jobs are
 * batched into multi-row statements (one commit each instead of one per message); each claim
 * batch commits before any of its messages reaches a provider. The "sent" mark is written
 * behind the job (deliver() resolves once the provider accepted): a crash before it commits
 * leaves the row `sending`, which becomes `unknown` — exactly as a crash during the provider
 * call would, and never a second send. flush() waits for the marks still in flight.
 */
/** About a minute of retries (200 ms doubling, at most 5 s apart) for a "sent" mark the database refused. */
const MARK_SENT_RETRIES = 14;

/** Claims of concurrent jobs, batched: resolves with the claimed row, or null if it was not claimable. */
export function createClaimBatcher(db: Database): (id: string) => Promise<ClaimedNotification | null> {
  return createBatcher(
    async (ids: string[]) => {
      const claimed = new Map((await claimNotifications(db, ids)).map((row) => [row.id, row]));
      return ids.map((id) => claimed.get(id) ?? null);
    },
    { maxInFlight: 2 },
  );
}

/** "Sent" marks of concurrent jobs, batched. */
export function createSentMarkBatcher(db: Database): (receipt: SentReceipt) => Promise<void> {
  return createBatcher(async (receipts: SentReceipt[]) => {
    await markNotificationsSent(db, receipts);
    return receipts.map(() => undefined);
  });
}

export function createDeliveryPipeline(db: Database, providers: NotificationProviders): DeliveryPipeline {
  const claim = createClaimBatcher(db);
  const markSent = createSentMarkBatcher(db);

  const pendingMarks = new Set<Promise<void>>();
  let flushing = false;
  const markInBackground = (receipt: SentReceipt) => {
    const mark: Promise<void> = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await markSent(receipt);
          return;
        } catch (error) {
          // The provider has the message. A database blink (terminated connections, a restart)
          // is waited out and the mark written again (it also turns an `unknown` the stale sweep
          // set meanwhile into `sent`); anything else, or an outage past the retries, leaves the
          // row `sending` for the stale sweep to report `unknown` — never a second send.
          // A worker shutting down (flush) tries no more: it must stop within its grace period.
          if (!unavailableStoreOf(error) || attempt >= MARK_SENT_RETRIES || flushing) return;
          await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 5_000)));
        }
      }
    })().finally(() => pendingMarks.delete(mark));
    pendingMarks.add(mark);
  };

  return {
    async flush() {
      flushing = true;
      while (pendingMarks.size > 0) await Promise.all([...pendingMarks]);
    },
    async deliver(id, options) {
      const row = await claim(id);
      if (!row) return { status: "skipped" };
      let providerMessageId: string;
      try {
        // Inside the try: a code that does not open fails the row like a provider's refusal.
        ({ providerMessageId } = await providers[row.channel].send(toOutgoingMessage(row)));
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
      markInBackground({ row, providerMessageId });
      return { status: "sent", providerMessageId };
    },
  };
}
