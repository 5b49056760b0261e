// No secret at rest in clear (SPEC §3.8): a person registers, verifies, is invited, the invitation
// message fails, staff retry it, the person redeems and invites a friend — then every text,
// varchar, json(b) and array column of every table is scanned for every code issued on the way
// (taken from what the SMS provider received, as the person would). Codes are stored only as
// keyed hashes; a code kept for a retry is sealed, and erased once its notification is settled.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyInvitationCodeHash } from "../../lib/invitations/code";
import { issueInvitation } from "../../lib/invitations/issue";
import { revokeInvitation } from "../../lib/invitations/revoke-invitation";
import { createDeliveryPipeline } from "../../lib/notifications/delivery";
import { createWebhookProvider } from "../../lib/notifications/providers/webhook";
import { retryNotification } from "../../lib/notifications/retry-notification";
import { eraseSettledNotificationCodes, sealLegacyNotificationCodes } from "../../lib/notifications/settle-codes";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { getPhase } from "../../lib/phases/get-phase";
import { hashVerificationCode } from "../../lib/registrations/codes";
import { sha256Hex } from "../../lib/crypto";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff, uniqueMobile } from "../helpers/factories";
import { bothChannels, startWebhookSink, type SinkAnswer, type WebhookSink } from "../helpers/notifications";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";

let t: TestDatabase;
let sink: WebhookSink;
const prefix = uniqueQueuePrefix();
/** What the provider answers next (the sink plays the SMS provider). */
let answer: SinkAnswer = { status: 200 };

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  sink = await startWebhookSink(() => answer);
});
afterAll(async () => {
  await sink?.close();
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

/** Sends one outbox row through the real delivery path and the webhook provider; returns what the provider got. */
async function deliver(notificationId: string, reply: SinkAnswer) {
  answer = reply;
  const pipeline = createDeliveryPipeline(t.db, bothChannels(createWebhookProvider({ url: sink.url, secret: "test-webhook-secret-0123456789", timeoutMs: 2000 })));
  const before = sink.requests.length;
  const outcome = await pipeline.deliver(notificationId, { finalAttempt: true });
  await pipeline.flush();
  return { outcome, message: sink.requests[before]?.json as { to: string; code?: string } | undefined };
}

async function latestNotification(where: ReturnType<typeof sql>): Promise<{ id: string; secret: string | null; status: string }> {
  const [row] = await t.db.execute<{ id: string; secret: string | null; status: string }>(
    sql`select id, secret, status from notifications where ${where} order by created_at desc limit 1`,
  );
  return row!;
}

/** Every column that can hold text: text, varchar, char, json, jsonb and arrays of them. */
async function textColumns(): Promise<{ table: string; column: string }[]> {
  return t.sql<{ table: string; column: string }[]>`
    select c.table_name as table, c.column_name as column
    from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or c.udt_name in ('_text', '_varchar', '_jsonb'))
    order by 1, 2`;
}

/** The columns (table.column) where any of `needles` appears, case-insensitively, in any row. */
async function whereFound(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { table, column } of await textColumns()) {
    for (const needle of needles) {
      const [row] = await t.sql.unsafe<{ n: number }[]>(
        `select count(*)::int as n from "${table}" where position(upper($1) in upper("${column}"::text)) > 0`,
        [needle],
      );
      if (row!.n > 0) found.push(`${table}.${column} holds ${needle}`);
    }
  }
  return found;
}

/** Both forms a person may see an invitation code in. */
const invitationForms = (dashed: string) => [dashed, dashed.replaceAll("-", "")];

describe("codes at rest", () => {
  it("register → verify → invite → delivery fails → retry → redeem → invite a friend: no issued code in clear anywhere", async () => {
    const issued: string[] = [];
    const phone = uniqueMobile();

    // Register: the verification code leaves through the provider; the database keeps an HMAC.
    const registered = await callApi(jsonRequest("/api/v1/registrations", { body: { phone, platform: "ios", locale: "en" } }));
    expect(registered.status).toBe(202);
    const { registrationId } = await registered.json();
    const verification = await latestNotification(sql`registration_id = ${registrationId} and kind = 'verification_code'`);
    expect(verification.secret).toMatch(/^v1\./);
    const sentCode = await deliver(verification.id, { status: 200 });
    expect(sentCode.outcome.status).toBe("sent");
    const code = sentCode.message!.code!;
    expect(code).toMatch(/^\d{6}$/);
    issued.push(code);
    const [stored] = await t.sql<{ hash: string }[]>`select verification_code_hash as hash from registrations where id = ${registrationId}`;
    // Keyed: neither the unkeyed SHA-256 an attacker can recompute from a dump, nor the code.
    expect(stored!.hash).toBe(hashVerificationCode(registrationId, code));
    expect(stored!.hash).not.toBe(sha256Hex(`verification:${registrationId}:${code}`));
    expect((await latestNotification(sql`id = ${verification.id}`)).secret).toBeNull();

    const verified = await callApi(jsonRequest(`/api/v1/registrations/${registrationId}/verify`, { body: { code } }));
    expect(verified.status).toBe(200);

    // Invite: the first send fails for good; the code waits sealed for a retry.
    const product = await insertStaff(t.db, "product");
    const support = await insertStaff(t.db, "support");
    const phase = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "rest", name: "Rest", kind: "closed", memberInviteQuota: 1 })).id);
    const [registration] = await t.sql<{ id: string; phone: string; locale: "en" }[]>`select id, phone, locale from registrations where id = ${registrationId}`;
    const { invitation } = await t.db.transaction(async (tx) => issueInvitation(tx, { registration: registration!, phase: await getPhase(tx, phase.id), source: "staff" }));
    const invitationMessage = await latestNotification(sql`invitation_id = ${invitation.id}`);
    const failed = await deliver(invitationMessage.id, { status: 400, body: { error: "rejected" } });
    expect(failed.outcome.status).toBe("failed");
    const inviteCode = failed.message!.code!;
    issued.push(...invitationForms(inviteCode));
    const kept = await latestNotification(sql`id = ${invitationMessage.id}`);
    expect(kept).toMatchObject({ status: "failed", secret: expect.stringMatching(/^v1\./) });
    expect(await whereFound(issued)).toEqual([]);
    const [invitationRow] = await t.sql<{ code_hash: string }[]>`select code_hash from invitations where id = ${invitation.id}`;
    expect(invitationRow!.code_hash).not.toBe(legacyInvitationCodeHash(inviteCode.replaceAll("-", "")));

    // Still live: the settle sweep keeps it. Staff retry; the second send goes out and wipes it.
    expect(await eraseSettledNotificationCodes(t.db)).toBe(0);
    await retryNotification(t.db, support, { notificationId: invitationMessage.id });
    const retried = await deliver(invitationMessage.id, { status: 200 });
    expect(retried.outcome.status).toBe("sent");
    expect(retried.message!.code).toBe(inviteCode);
    expect((await latestNotification(sql`id = ${invitationMessage.id}`)).secret).toBeNull();

    // Redeem, then invite a friend: that code stays in the outbox (sealed) until sent.
    const redeemed = await callApi(jsonRequest("/api/v1/invitations/redeem", { body: { code: inviteCode, phone } }));
    expect(redeemed.status).toBe(200);
    const { memberToken } = await redeemed.json();
    const friend = uniqueMobile();
    const invitedFriend = await callApi(jsonRequest("/api/v1/members/me/invitations", { token: memberToken, body: { phone: friend } }));
    expect(invitedFriend.status).toBe(201);
    const { invitationId: friendInvitationId } = await invitedFriend.json();
    const friendMessage = await latestNotification(sql`invitation_id = ${friendInvitationId}`);
    expect(friendMessage.secret).toMatch(/^v1\./);

    // Its send fails; support then revokes the invitation: the code is dead, the sweep erases it.
    const friendFailed = await deliver(friendMessage.id, { status: 400 });
    expect(friendFailed.outcome.status).toBe("failed");
    issued.push(...invitationForms(friendFailed.message!.code!));
    const [friendRow] = await t.sql<{ id: string }[]>`select registration_id as id from invitations where id = ${friendInvitationId}`;
    await revokeInvitation(t.db, support, friendRow!.id, "sent to the wrong number");
    expect(await eraseSettledNotificationCodes(t.db)).toBe(1);
    expect((await latestNotification(sql`id = ${friendMessage.id}`)).secret).toBeNull();
    await expect(retryNotification(t.db, support, { notificationId: friendMessage.id })).rejects.toMatchObject({ code: "invalid_state" });

    expect(issued.length).toBe(5);
    expect(await whereFound(issued)).toEqual([]);
  });

  it("seals a code an older version left in clear, and erases a dead verification code", async () => {
    const registered = await callApi(jsonRequest("/api/v1/registrations", { body: { phone: uniqueMobile(), platform: "android", locale: "fr" } }));
    const { registrationId } = await registered.json();
    const message = await latestNotification(sql`registration_id = ${registrationId} and kind = 'verification_code'`);
    // As a row written before codes were sealed, whose send failed.
    await t.db.execute(sql`update notifications set status = 'failed', secret = '424242' where id = ${message.id}`);
    // The scan sees a code in clear where there is one (it is not vacuous).
    expect(await whereFound(["424242"])).toEqual(["notifications.secret holds 424242"]);
    expect(await sealLegacyNotificationCodes(t.db)).toBe(1);
    const sealed = await latestNotification(sql`id = ${message.id}`);
    expect(sealed.secret).toMatch(/^v1\./);
    expect(await whereFound(["424242"])).toEqual([]);
    // The window closes: the code can no longer be used, so it is erased.
    await t.db.execute(sql`update registrations set verification_expires_at = now() - interval '1 minute' where id = ${registrationId}`);
    expect(await eraseSettledNotificationCodes(t.db)).toBe(1);
    expect((await latestNotification(sql`id = ${message.id}`)).secret).toBeNull();
  });
});
