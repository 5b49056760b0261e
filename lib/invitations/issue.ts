import { eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, registrations, type Invitation, type InvitationSource, type Phase, type Registration } from "@/db/schema";
import { insertNotifications } from "@/lib/notifications/outbox";
import { sealNotificationCodes } from "@/lib/notifications/code-secret";
import { formatInvitationCode, generateInvitationCode, hashInvitationCode } from "./code";
import { requestIdFor } from "@/lib/log";
import { tsParam } from "@/lib/phases/admission";
import { recordWebhookEvent, subscribedEndpointIds, webhookDeliveriesInsertSql } from "@/lib/webhooks/record-webhook-event";

export function invitationExpiry(phase: Phase, now = new Date()): Date {
  return new Date(now.getTime() + phase.invitationTtlHours * 3_600_000);
}

/** Template variables of an invitation message (the code travels as the notification secret). */
export function invitationParams(phase: Phase, expiresAt: Date) {
  return { phaseName: phase.name, expiresAt: expiresAt.toISOString() };
}

/**
 * Invites one registration (already locked by the caller and known to be invitable): status
 * → invited, a new invitation with a fresh code, its message in the outbox and its
 * `invitation.sent` event, in the caller's transaction. The plain code is returned for the caller's tests only; it reaches
 * the person through the notification.
 */
export async function issueInvitation(
  tx: Database,
  options: {
    registration: Pick<Registration, "id" | "phone" | "locale">;
    phase: Phase;
    source: InvitationSource;
    batchId?: string | null;
    inviterMemberId?: string | null;
    now?: Date;
  },
): Promise<{ invitation: Invitation; code: string }> {
  const now = options.now ?? new Date();
  const { registration, phase } = options;
  if (!registration.phone) throw new Error("issueInvitation: the registration has no phone (erased)");
  const code = generateInvitationCode();
  const expiresAt = invitationExpiry(phase, now);
  const [invitation] = await tx
    .insert(invitations)
    .values({
      registrationId: registration.id,
      phaseId: phase.id,
      source: options.source,
      batchId: options.batchId ?? null,
      inviterMemberId: options.inviterMemberId ?? null,
      codeHash: hashInvitationCode(code),
      expiresAt,
    })
    .returning();
  await tx.update(registrations).set({ status: "invited", statusChangedAt: now }).where(eq(registrations.id, registration.id));
  await recordWebhookEvent(
    tx,
    "invitation.sent",
    { invitationId: invitation!.id, registrationId: registration.id, phaseSlug: phase.slug, expiresAt: expiresAt.toISOString() },
    { occurredAt: now },
  );
  await insertNotifications(tx, [
    {
      kind: "invitation",
      channel: "sms",
      registrationId: registration.id,
      invitationId: invitation!.id,
      recipient: registration.phone,
      locale: registration.locale,
      params: invitationParams(phase, expiresAt),
      secret: formatInvitationCode(code),
    },
  ]);
  return { invitation: invitation!, code };
}

/**
 * Invites a whole selection in ONE statement (the hot path of batches): `picked` selects
 * `r.id, r.phone, r.locale` from `registrations r … for update skip locked` (at most `limit`
 * rows); they become `invited`, get one invitation each with a random code, one outbox
 * message each, and one `invitation.sent` delivery per subscribed webhook endpoint. Codes are made in Node (crypto-random), keyed-hashed
 * and sealed there (the key never reaches the database), and paired with rows by ordinal.
 */
export async function inviteSelection(
  tx: Database,
  options: {
    picked: SQL;
    limit: number;
    phase: Phase;
    source: InvitationSource;
    batchId: string | null;
    /** `reactivation` for people re-invited after their invitation expired. */
    messageKind?: "invitation" | "reactivation";
    now?: Date;
    /** The request the invitations are for (a batch's job passes its creator's); default: the one being served. */
    requestId?: string;
  },
): Promise<{ invited: number; notified: number }> {
  if (options.limit <= 0) return { invited: 0, notified: 0 };
  const now = options.now ?? new Date();
  const expiresAt = invitationExpiry(options.phase, now);
  const codes = Array.from({ length: options.limit }, generateInvitationCode);
  // Neither hex digests nor sealed secrets (base64url and dots) contain a comma.
  const codeHashes = codes.map(hashInvitationCode).join(",");
  const secrets = sealNotificationCodes(codes.map(formatInvitationCode)).join(",");
  const params = JSON.stringify(invitationParams(options.phase, expiresAt));
  // `invitation.sent` for each, in the same statement, only when some endpoint subscribes.
  const subscribers = await subscribedEndpointIds(tx, "invitation.sent");
  const announced = subscribers.length
    ? sql`, announced as (${webhookDeliveriesInsertSql(
        "invitation.sent",
        subscribers,
        sql`select jsonb_build_object('invitationId', i.id, 'registrationId', i.registration_id, 'phaseSlug', ${options.phase.slug}::text,
                                      'expiresAt', ${expiresAt.toISOString()}::text) as data from issued i`,
        { occurredAt: now, requestId: options.requestId },
      )})`
    : sql``;
  const [row] = await tx.execute<{ invited: number; notified: number }>(sql`
    with picked as (${options.picked}),
    numbered as (
      select p.id, p.phone, p.locale, row_number() over () as ord from picked p
    ),
    codes as (
      select c.code_hash, c.secret, c.ord
      from unnest(string_to_array(${codeHashes}, ','), string_to_array(${secrets}, ',')) with ordinality as c(code_hash, secret, ord)
    ),
    moved as (
      update registrations r set status = 'invited', status_changed_at = ${tsParam(now)}
      from numbered n where r.id = n.id
      returning r.id
    ),
    issued as (
      insert into invitations (registration_id, phase_id, source, batch_id, code_hash, expires_at, created_at)
      select n.id, ${options.phase.id}, ${options.source}, ${options.batchId},
             c.code_hash, ${tsParam(expiresAt)}, ${tsParam(now)}
      from numbered n join codes c on c.ord = n.ord
      returning id, registration_id
    ),
    queued as (
      insert into notifications (kind, channel, registration_id, invitation_id, recipient, locale, params, secret, request_id)
      select ${options.messageKind ?? "invitation"}::notification_kind, 'sms', n.id, i.id, n.phone, n.locale, ${params}::jsonb, c.secret,
             ${requestIdFor(options.requestId)}::text
      from issued i join numbered n on n.id = i.registration_id join codes c on c.ord = n.ord
      returning id
    )${announced}
    select (select count(*) from moved)::int as invited, (select count(*) from queued)::int as notified`);
  return { invited: row!.invited, notified: row!.notified };
}
