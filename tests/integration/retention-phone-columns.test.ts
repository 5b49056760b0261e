// Retention covers every copy (SPEC §3.8): every column of the database that can hold text is
// listed here as one that can hold a phone number (and what erases it) or one that cannot (and
// why) — a new column fails the first test until it is classified. Numbers whose retention ends
// are then seeded into every phone column, the clock moves past retentionDays, the sweeps run,
// and no column of any table holds one of those numbers in any format.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockRegistration } from "../../lib/registrations/block-registration";
import { createBatch } from "../../lib/batches/create-batch";
import { runBatchChunk } from "../../lib/batches/run";
import { insertNotifications } from "../../lib/notifications/outbox";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { purgePersonalData } from "../../lib/policy/sweeps";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { purgeOldWebhookDeliveries } from "../../lib/webhooks/webhook-maintenance";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff, uniqueMobile } from "../helpers/factories";
import { numberForms, revealedNumbers } from "../helpers/masking";

let t: TestDatabase;

/** A column that can hold a phone number, and what erases it once its retention ends. */
type Phone = { phone: string };
/** A column that cannot hold one, and why. */
type NoPhone = { none: string };

const HASH = "a hash or sealed value, never a number";
const STAFF = "staff accounts and their credentials";
const columns: Record<string, Phone | NoPhone> = {
  "registrations.phone": { phone: "purgePersonalData: set null on lapsed/removed registrations past retentionDays" },
  "registrations.status_reason": { phone: "purgePersonalData: staff's reason (it may quote the number), set null with the phone" },
  "registrations.email": { none: "an e-mail address; erased with the phone" },
  "registrations.phone_country": { none: "ISO country code" },
  "registrations.phone_hash": { none: "salted hash, kept by design for the block list" },
  "registrations.referral_code": { none: "random code" },
  "registrations.signup_ip": { none: "an address; erased with the phone" },
  "registrations.status_token_hash": { none: HASH },
  "registrations.verification_code_hash": { none: HASH },
  "notifications.recipient": { phone: "purgePersonalData: 'erased' for the erased registrations' messages" },
  "notifications.params": { phone: "purgePersonalData: the body's variables, emptied with the recipient" },
  "notifications.last_error": { phone: "purgePersonalData: providers quote the number in their errors; set null with the recipient" },
  "notifications.secret": { none: "a sealed one-time code (secrets-at-rest.test.ts)" },
  "notifications.provider_message_id": { none: "the provider's id" },
  "notifications.request_id": { none: "an id (of the request that wrote the message)" },
  "webhook_deliveries.request_id": { none: "an id (of the request that raised the event)" },
  "batches.params": { phone: "eraseOldBatchTargets: phones and targets replaced by listSize once finished past retentionDays" },
  "batch_failures.input": { phone: "eraseOldBatchTargets: set null with the batch's list" },
  "batch_failures.reason": { none: "a reason code" },
  "batches.error": { none: "the worker's error message" },
  "batches.idempotency_key": { none: "the client's key" },
  "batches.request_hash": { none: HASH },
  "batches.truncated_reason": { none: "capacity/daily-cap text" },
  "phase_allowed_phones.phone": { phone: "eraseOldAllowLists: deleted once the phase is closed past retentionDays" },
  "phase_allowed_phones.note": { phone: "eraseOldAllowLists: deleted with the entry" },
  "phases.name": { none: "staff-chosen phase name" },
  "phases.slug": { none: "staff-chosen slug" },
  "phases.countries": { none: "ISO country codes" },
  "phases.platforms": { none: "enum values" },
  "audit_events.before": { none: "written masked (recordAudit masks numbers, also inside text); append-only" },
  "audit_events.after": { none: "written masked (recordAudit masks numbers, also inside text); append-only" },
  "audit_events.action": { none: "a verb" },
  "audit_events.actor_label": { none: "staff e-mail" },
  "audit_events.request_id": { none: "an id" },
  "audit_events.target_id": { none: "an id" },
  "audit_events.target_type": { none: "a noun" },
  "blocked_phones.phone_hash": { none: "salted hash, kept by design" },
  "blocked_phones.reason": { none: "staff's reason, written masked (blockRegistration)" },
  "policy_decisions.details": { none: "rule values (counts, prefixes, countries)" },
  "policy_decisions.reasons": { none: "reason codes" },
  "policy_settings.allowed_countries": { none: "ISO country codes" },
  "policy_settings.blocked_prefixes": { none: "number prefixes, not numbers" },
  "registration_signals.ip": { none: "an address; deleted after a day" },
  "registration_signals.phone_country": { none: "ISO country code" },
  "registration_signals.phone_prefix": { none: "a prefix of a few digits; deleted after a day" },
  "sms_prefix_holds.country": { none: "ISO country code" },
  "sms_prefix_holds.prefix": { none: "a prefix" },
  "sms_prefix_holds.reason": { none: "a reason" },
  "sms_send_stats.country": { none: "ISO country code" },
  "sms_send_stats.prefix": { none: "a prefix" },
  "invitations.code_hash": { none: HASH },
  "members.token_hash": { none: HASH },
  "quota_ledger.actor": { none: "staff or system label" },
  "instance_secrets.phone_hash_salt": { none: "the salt" },
  "webhook_deliveries.data": { none: "event data: ids and phase; the phone is read from the registration at send time" },
  "webhook_deliveries.last_error": { phone: "purgeOldWebhookDeliveries: a receiver's answer may quote it; deleted past retentionDays" },
  "webhook_attempts.error": { phone: "purgeOldWebhookDeliveries: deleted with its delivery" },
  "webhook_attempts.response_excerpt": { phone: "purgeOldWebhookDeliveries: a receiver's answer may quote it; deleted with its delivery" },
  "webhook_endpoints.url": { none: "the receiver's URL" },
  "webhook_endpoints.description": { none: "admin's description" },
  "webhook_endpoints.disabled_reason": { none: "why it was disabled" },
  "webhook_endpoints.last_error": { none: "the last delivery error's summary (status, timeout)" },
  "webhook_endpoints.secret_sealed": { none: HASH },
  "webhook_endpoints.events": { none: "enum values" },
  "api_tokens.name": { none: STAFF },
  "api_tokens.prefix": { none: STAFF },
  "api_tokens.token_hash": { none: STAFF },
  "auth_accounts.access_token": { none: STAFF },
  "auth_accounts.id_token": { none: STAFF },
  "auth_accounts.provider": { none: STAFF },
  "auth_accounts.provider_account_id": { none: STAFF },
  "auth_accounts.refresh_token": { none: STAFF },
  "auth_accounts.scope": { none: STAFF },
  "auth_accounts.session_state": { none: STAFF },
  "auth_accounts.token_type": { none: STAFF },
  "auth_accounts.type": { none: STAFF },
  "auth_sessions.session_token": { none: STAFF },
  "auth_verification_tokens.identifier": { none: STAFF },
  "auth_verification_tokens.token": { none: STAFF },
  "staff_users.email": { none: STAFF },
  "staff_users.image": { none: STAFF },
  "staff_users.name": { none: STAFF },
  "staff_users.password_hash": { none: STAFF },
  "staff_users.totp_pending_secret": { none: STAFF },
  "staff_users.totp_secret": { none: STAFF },
  "staff_recovery_codes.code_hash": { none: STAFF },
};

/** Every column that can hold text: text, varchar, char, json(b), and arrays. */
async function textColumns(): Promise<string[]> {
  const rows = await t.sql<{ name: string }[]>`
    select c.table_name || '.' || c.column_name as name
    from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.table_name not like '\\_\\_%'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY'))
    order by 1`;
  return rows.map((r) => r.name);
}

/** The seeded numbers `column` holds, in any format. */
async function numbersIn(column: string, numbers: string[]): Promise<string[]> {
  const [table, name] = column.split(".");
  const rows = await t.sql.unsafe<{ v: string }[]>(`select "${name}"::text as v from "${table}" where "${name}" is not null`);
  return revealedNumbers(rows.map((r) => r.v).join("\n"), numbers);
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("retention covers every copy of a phone number", () => {
  it("classifies every text column of the database", async () => {
    const inDatabase = await textColumns();
    expect(inDatabase.filter((c) => !(c in columns)), "columns to classify: can they hold a phone number?").toEqual([]);
    expect(Object.keys(columns).filter((c) => !inDatabase.includes(c)), "classified columns that no longer exist").toEqual([]);
  });

  it("erases each of them after retentionDays", async () => {
    const tag = randomBytes(3).toString("hex");
    const admin = await insertStaff(t.db, "admin");
    const product = await insertStaff(t.db, "product");
    const salt = await loadPhoneHashSalt(t.db);
    const erasable: string[] = [];
    const number = () => {
      const n = uniqueMobile();
      erasable.push(n);
      return n;
    };

    // An internal phase with its allow-list runs, a targeted batch runs in it, then it closes.
    const allowListed = [number(), number()];
    const internal = await createPhase(t.db, product, { slug: `internal-${tag}`, name: "Internal", kind: "internal", allowedPhones: allowListed });
    await activatePhase(t.db, product, internal.id);

    // Removed (by support, with a reason quoting the number), lapsed and blocked people.
    const removedPhone = number();
    const removed = await insertRegistration(t.db, { phone: removedPhone, phoneHash: phoneHash(salt, removedPhone), status: "removed", statusReason: `duplicate of ${removedPhone}` });
    const lapsedPhone = number();
    const lapsed = await insertRegistration(t.db, { phone: lapsedPhone, phoneHash: phoneHash(salt, lapsedPhone), status: "lapsed" });
    const blockedPhone = number();
    const blocked = await insertRegistration(t.db, { phone: blockedPhone, phoneHash: phoneHash(salt, blockedPhone) });
    await blockRegistration(t.db, admin, blocked.id, { reason: `fraud ring, same as ${blockedPhone}` });
    await t.db.execute(sql`update registrations set status = 'removed' where id = ${blocked.id}`);
    // Their messages: the provider refused them, quoting the number.
    await t.db.transaction((tx) =>
      insertNotifications(
        tx,
        [removed, lapsed].map((r) => ({ kind: "verification_code" as const, channel: "sms" as const, registrationId: r.id, recipient: r.phone!, locale: "en" as const, params: { expiresAt: new Date().toISOString() }, secret: "123456" })),
      ),
    );
    await t.db.execute(sql`update notifications set status = 'failed', last_error = '400: invalid To ' || recipient`);

    // A targeted batch: the removed person, a number nobody registered, a national number
    // without its country and a mistyped one — all recorded as failures, the list in params.
    const unknown = number();
    const national = number();
    const mistyped = number();
    const created = await createBatch(
      t.db,
      admin,
      { kind: "targeted", phones: [removedPhone, unknown, `0${national.slice(3, 4)} ${national.slice(4)}`, `${mistyped.slice(0, -2)}-x`] },
      `retention-${tag}`,
    );
    if (created.dryRun) throw new Error("expected a batch");
    for (;;) if ((await runBatchChunk(t.db, created.batch.id, { chunkSize: 100 })).done) break;
    const next = await createPhase(t.db, product, { slug: `next-${tag}`, name: "Next", kind: "closed" });
    await activatePhase(t.db, product, next.id);

    // A webhook receiver's answers quoting a number (an includePhone endpoint's echo).
    const echoed = number();
    const [endpoint] = await t.db.execute<{ id: string }>(sql`
      insert into webhook_endpoints (url, events, include_phone, secret_sealed)
      values ('https://hooks.example/in', array['member.admitted']::webhook_event_type[], true, 'v1.x.y') returning id`);
    const [delivery] = await t.db.execute<{ id: string }>(sql`
      insert into webhook_deliveries (endpoint_id, event_type, data, status, last_error, created_at)
      values (${endpoint!.id}, 'member.admitted', '{}'::jsonb, 'failed', ${`422: unknown user ${echoed}`}, now() - interval '40 days') returning id`);
    await t.db.execute(sql`
      insert into webhook_attempts (delivery_id, started_at, status_code, error, response_excerpt)
      values (${delivery!.id}, now() - interval '40 days', 422, ${`rejected ${echoed}`}, ${`{"error":"no user with phone ${echoed}"}`})`);

    // Every phone column now holds a seeded number (the check below is not vacuous).
    const phoneColumns = Object.entries(columns).filter(([, c]) => "phone" in c).map(([name]) => name);
    // (No path writes a number into these two today; they are erased all the same.)
    const unseeded = new Set(["phase_allowed_phones.note", "notifications.params"]);
    for (const column of phoneColumns.filter((c) => !unseeded.has(c))) {
      expect({ column, seeded: (await numbersIn(column, erasable)).length > 0 }).toEqual({ column, seeded: true });
    }

    // Nothing is erased before its time.
    expect(await purgePersonalData(t.db)).toBe(0);
    expect((await numbersIn("batches.params", erasable)).length).toBeGreaterThan(0);

    // retentionDays (30) later, the sweeps run.
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await purgePersonalData(t.db, later)).toBe(3);
    expect(await purgeOldWebhookDeliveries(t.db)).toBe(1);

    const leftovers: string[] = [];
    for (const column of await textColumns()) for (const found of await numbersIn(column, erasable)) leftovers.push(`${column}: ${found}`);
    expect(leftovers).toEqual([]);
    // What stays says what was there.
    const [batch] = await t.sql<{ params: { listSize?: number; phones?: unknown } }[]>`select params from batches where id = ${created.batch.id}`;
    expect(batch!.params).toMatchObject({ kind: "targeted", listSize: 4 });
    expect(batch!.params.phones).toBeUndefined();
    const failures = await t.sql<{ input: string | null; reason: string }[]>`select input, reason from batch_failures where batch_id = ${created.batch.id}`;
    expect(failures.length).toBe(4);
    expect(failures.every((f) => f.input === null)).toBe(true);
    expect(numberForms(removedPhone).length).toBeGreaterThan(2);
  });
});
