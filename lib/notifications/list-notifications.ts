// The notifications staff must act on (console "Notifications & queues"): failed ones (retry)
// and unknown ones (resolve), newest change first, keyset-paginated on (updated_at, id). Both
// lists walk notifications_attention_idx; in normal operation they hold a handful of rows.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { notifications, type NotificationChannel, type NotificationKind, type NotificationStatus } from "@/db/schema";
import { textForRole } from "@/lib/auth/mask-input";
import { type Actor, assertCan, phoneForRole } from "@/lib/auth/roles";

export const attentionListInput = z.object({
  status: z.enum(["failed", "unknown"]),
  /** Id of the last row of the previous page. */
  after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});
export type AttentionListInput = z.input<typeof attentionListInput>;

export interface AttentionNotification {
  id: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  status: NotificationStatus;
  /** Phone masked for roles that may not see full numbers; e-mails as they are. */
  recipient: string;
  registrationId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AttentionPage {
  rows: AttentionNotification[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
  total: number;
}

export async function listNotificationsNeedingAttention(db: Database, actor: Actor, rawInput: AttentionListInput): Promise<AttentionPage> {
  assertCan(actor, "view");
  const input = attentionListInput.parse(rawInput);
  const cursor = input.after
    ? sql`(${notifications.updatedAt}, ${notifications.id}) < (select updated_at, id from notifications where id = ${input.after})`
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(and(eq(notifications.status, input.status), cursor))
      .orderBy(desc(notifications.updatedAt), desc(notifications.id))
      .limit(input.limit + 1),
    db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(eq(notifications.status, input.status)),
  ]);
  const page = rows.slice(0, input.limit);
  return {
    rows: page.map((n) => ({
      id: n.id,
      kind: n.kind,
      channel: n.channel,
      status: n.status,
      recipient: n.channel === "sms" ? (phoneForRole(actor.role, n.recipient) ?? "") : n.recipient,
      registrationId: n.registrationId,
      attempts: n.attempts,
      // Providers quote the number in their errors.
      lastError: textForRole(actor.role, n.lastError),
      createdAt: n.createdAt,
      updatedAt: n.updatedAt,
    })),
    nextCursor: rows.length > input.limit ? page.at(-1)!.id : null,
    total: total?.n ?? 0,
  };
}
