// Every webhook event type, from its real cause in lib/ to a local receiver that verifies each
// request with the Standard Webhooks reference library: the event is written in the cause's
// transaction, only for endpoints subscribed to its type, with the SPEC §6 data (and the phone
// only for includePhone endpoints, as it is now — erased by retention, it goes out as null).
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { invitations, notifications, registrations, type WebhookEventType } from "../../db/schema";
import type { WorkersHandle } from "../../jobs/worker";
import type { Actor } from "../../lib/auth/roles";
import { createBatch } from "../../lib/batches/create-batch";
import { runBatchChunk } from "../../lib/batches/run";
import { expireInvitations } from "../../lib/invitations/expire";
import { redeemInvitation } from "../../lib/invitations/redeem";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { hashVerificationCode } from "../../lib/registrations/codes";
import { verifyRegistration } from "../../lib/registrations/verify";
import { sendWebhookAgain } from "../../lib/webhooks/send-webhook-again";
import { webhookBodySchema } from "../../lib/webhooks/webhook-events.schema";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, uniqueQueuePrefix } from "../helpers/redis";
import { startWebhookSink, type WebhookSink } from "../helpers/webhook-sink";
import { deliveryStatusCounts, registerEndpoint, startWebhookWorkers } from "../helpers/webhooks";
import { openNotificationCode } from "../../lib/notifications/code-secret";

let t: TestDatabase;
let sink: WebhookSink;
let admin: Actor;
let product: Actor;
let workers: WorkersHandle | null = null;
const prefix = uniqueQueuePrefix();
let keys = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  sink = await startWebhookSink();
  admin = await insertStaff(t.db, "admin");
  product = await insertStaff(t.db, "product");
});
afterAll(async () => {
  await workers?.close();
  await sink.close();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

async function admitNext(size: number): Promise<string> {
  const result = await createBatch(t.db, admin, { kind: "admit_next", size }, `webhook-events-${++keys}`);
  if (result.dryRun) throw new Error("not a dry run");
  for (let done = false; !done; ) ({ done } = await runBatchChunk(t.db, result.batch.id));
  return result.batch.id;
}

async function pendingVerification(code: string) {
  const registration = await insertRegistration(t.db, { status: "pending_verification" });
  await t.db
    .update(registrations)
    .set({ verificationCodeHash: hashVerificationCode(registration.id, code), verificationExpiresAt: new Date(Date.now() + 600_000) })
    .where(eq(registrations.id, registration.id));
  return registration;
}

async function invitationCodeOf(invitationId: string): Promise<string> {
  const [row] = await t.db.select({ secret: notifications.secret }).from(notifications).where(eq(notifications.invitationId, invitationId));
  return openNotificationCode(row!.secret)!;
}

const settled = () =>
  vi.waitFor(
    async () => {
      const counts = await deliveryStatusCounts(t.db);
      expect(counts.pending ?? 0).toBe(0);
      expect(counts.queued ?? 0).toBe(0);
      expect(counts.sending ?? 0).toBe(0);
    },
    { timeout: 20_000, interval: 50 },
  );

describe("webhook events", () => {
  it("writes no delivery for an event type nobody subscribes to", async () => {
    await registerEndpoint(t.db, admin, sink, { path: "/phases", events: ["phase.activated"] });
    const wave = await createPhase(t.db, product, { slug: "wave-1", name: "Wave 1", kind: "closed" });
    await activatePhase(t.db, product, wave.id);
    await insertRegistration(t.db);
    await insertRegistration(t.db);
    await admitNext(2);
    const rows = await t.db.execute<{ type: string; n: number }>(sql`select event_type as type, count(*)::int as n from webhook_deliveries group by 1`);
    expect(rows).toEqual([{ type: "phase.activated", n: 1 }]);
  });

  it("sends each event type with its data, signed; the phone only to includePhone endpoints", async () => {
    await registerEndpoint(t.db, admin, sink, { path: "/all", events: ["registration.verified", "invitation.sent", "invitation.expired", "member.admitted", "batch.completed", "phase.activated"] });
    await registerEndpoint(t.db, admin, sink, { path: "/phones", events: ["registration.verified", "invitation.sent", "member.admitted"], includePhone: true });

    const wave2 = await createPhase(t.db, product, { slug: "wave-2", name: "Wave 2", kind: "closed", invitationTtlHours: 1 });
    await activatePhase(t.db, product, wave2.id);

    const newcomer = await pendingVerification("123456");
    const { position } = await verifyRegistration(t.db, newcomer.id, { code: "123456" });
    expect(position).toBe(1);
    // Queued before the newcomer: the batch takes these two.
    const early = await insertRegistration(t.db, { queuedAt: new Date(Date.now() - 3_600_000) });
    const late = await insertRegistration(t.db, { queuedAt: new Date(Date.now() - 1_800_000) });
    const batchId = await admitNext(2);
    const [redeemed, expiring] = await Promise.all(
      [early, late].map(async (r) => (await t.db.select().from(invitations).where(and(eq(invitations.registrationId, r.id), eq(invitations.batchId, batchId))))[0]!),
    );
    const member = await redeemInvitation(t.db, { code: await invitationCodeOf(redeemed!.id), phone: early.phone! });
    await expireInvitations(t.db, { now: new Date(Date.now() + 2 * 3_600_000) });

    workers = await startWebhookWorkers(t.db, prefix);
    await settled();
    expect(sink.received.every((r) => r.verified), sink.received.map((r) => r.verifyError).join(", ")).toBe(true);

    // At least once: a late answer on a loaded machine is retried with the same webhook-id, which
    // a receiver deduplicates — and so does this one.
    const unique = (path: string) => [...new Map(sink.deliveries(path).map((r) => [r.webhookId, r])).values()];
    const all = unique("/all");
    const byType = (type: WebhookEventType) => all.filter((r) => r.body.type === type).map((r) => r.body.data);
    for (const received of all) {
      expect(() => webhookBodySchema(received.body.type as WebhookEventType).strict().parse(received.body)).not.toThrow();
      expect(received.body.data).not.toHaveProperty("phone");
    }
    expect(byType("phase.activated")).toEqual([{ phaseId: wave2.id, slug: "wave-2" }]);
    expect(byType("registration.verified")).toEqual([{ registrationId: newcomer.id, position }]);
    expect(byType("invitation.sent")).toEqual(
      expect.arrayContaining([
        { invitationId: redeemed!.id, registrationId: early.id, phaseSlug: "wave-2", expiresAt: redeemed!.expiresAt.toISOString() },
        { invitationId: expiring!.id, registrationId: late.id, phaseSlug: "wave-2", expiresAt: expiring!.expiresAt.toISOString() },
      ]),
    );
    expect(byType("invitation.sent")).toHaveLength(2);
    expect(byType("batch.completed")).toEqual([{ batchId, kind: "admit_next", counters: { requested: 2, selected: 2, invited: 2, notified: 2, failed: 0 } }]);
    expect(byType("member.admitted")).toEqual([{ memberId: member.memberId, registrationId: early.id, phaseSlug: "wave-2" }]);
    expect(byType("invitation.expired")).toEqual([
      { invitationId: expiring!.id, registrationId: late.id, phaseSlug: "wave-2", expiresAt: expiring!.expiresAt.toISOString() },
    ]);

    const phones = unique("/phones");
    expect(phones.map((r) => r.body.type).sort()).toEqual(["invitation.sent", "invitation.sent", "member.admitted", "registration.verified"]);
    const phoneOf = new Map([newcomer, early, late].map((r) => [r.id, r.phone]));
    for (const received of phones) expect(received.body.data.phone).toBe(phoneOf.get(received.body.data.registrationId as string));
    // Only the new endpoints' events and the wave-2 activation for /phases: none of them sees what happened before it existed.
    expect(unique("/phases").map((r) => r.body.data.slug)).toEqual(["wave-1", "wave-2"]);
  });

  it("sends an erased phone as null (retention reaches webhook payloads)", async () => {
    const [delivery] = await t.db.execute<{ id: string; registration_id: string }>(sql`
      select d.id, d.data->>'registrationId' as registration_id from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id
      where e.include_phone and d.event_type = 'member.admitted'`);
    await t.db.update(registrations).set({ phone: null }).where(eq(registrations.id, delivery!.registration_id));
    const before = sink.deliveries("/phones").length;
    await sendWebhookAgain(t.db, admin, delivery!.id);
    await vi.waitFor(() => expect(sink.deliveries("/phones").length).toBeGreaterThan(before), { timeout: 10_000 });
    const again = sink.deliveries("/phones").at(-1)!;
    expect(again.webhookId).toBe(delivery!.id);
    expect(again.body.data).toMatchObject({ registrationId: delivery!.registration_id, phone: null });
  });
});
