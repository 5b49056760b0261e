// How webhook deliveries behave when receivers misbehave: retries on 5xx and timeouts with the
// same webhook-id, a dead endpoint disabled and its events replayed when it is enabled again, an
// undeliverable event failed and sent again by staff, and a worker killed mid-delivery (the
// delivery goes out again with the same webhook-id; nothing is lost). Every request the sink
// receives is verified with the Standard Webhooks reference library.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import type { WorkersHandle } from "../../jobs/worker";
import type { Actor } from "../../lib/auth/roles";
import { recordWebhookEvent } from "../../lib/webhooks/record-webhook-event";
import { sendWebhookAgain } from "../../lib/webhooks/send-webhook-again";
import { setWebhookEndpointEnabled } from "../../lib/webhooks/set-webhook-endpoint-enabled";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { startWebhookSink, type ReceivedWebhook, type SinkReply, type WebhookSink } from "../helpers/webhook-sink";
import { registerEndpoint, startWebhookWorkers } from "../helpers/webhooks";
import { spawnWorker, type WorkerProcess } from "../helpers/notifications";

let t: TestDatabase;
let admin: Actor;
let sink: WebhookSink;
/** Per endpoint path: how the sink answers. */
const answers = new Map<string, (request: ReceivedWebhook) => SinkReply>();
let workers: WorkersHandle | null = null;
let spawned: WorkerProcess | null = null;
const prefixes: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await insertStaff(t.db, "admin");
  sink = await startWebhookSink((request) => answers.get(request.path)?.(request) ?? { status: 204 });
});
afterEach(async () => {
  await workers?.close();
  workers = null;
  if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill("SIGKILL");
  spawned = null;
  // One endpoint per test: events of one test never reach another's endpoint.
  await t.db.delete(webhookEndpoints).where(sql`true`);
});
afterAll(async () => {
  await sink.close();
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
  await t.drop();
});

function freshPrefix(): string {
  const prefix = uniqueQueuePrefix();
  prefixes.push(prefix);
  return prefix;
}

/** An event for every endpoint subscribed to phase.activated; returns the deliveries it made. */
async function announce(slug: string): Promise<string[]> {
  await t.db.transaction((tx) => recordWebhookEvent(tx, "phase.activated", { phaseId: randomUUID(), slug }));
  const rows = await t.db.execute<{ id: string }>(sql`select id from webhook_deliveries where data->>'slug' = ${slug}`);
  return rows.map((r) => r.id);
}

async function delivery(id: string) {
  const [row] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row!;
}

async function endpoint(id: string) {
  const [row] = await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row!;
}

const attemptsOf = (id: string) => t.db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, id)).orderBy(webhookAttempts.id);
const receivedFor = (path: string, id: string) => sink.deliveries(path).filter((r) => r.webhookId === id);

describe("webhook delivery", () => {
  it("retries a 5xx and a timeout, with the same webhook-id, until the endpoint answers 2xx", async () => {
    const { endpoint: e } = await registerEndpoint(t.db, admin, sink, { path: "/flaky", events: ["phase.activated"] });
    let calls = 0;
    answers.set("/flaky", () => (++calls === 1 ? { status: 503, body: "busy" } : calls === 2 ? "hang" : { status: 200 }));
    const [id] = await announce("flaky");
    // Spare retries: on a loaded machine a slow 200 may also time out, and is simply retried.
    workers = await startWebhookWorkers(t.db, freshPrefix(), { webhookTimeoutMs: 1500, webhookRetryDelaysMs: [50, 100, 100, 100, 100] });

    await vi.waitFor(async () => expect((await delivery(id!)).status).toBe("delivered"), { timeout: 30_000, interval: 50 });
    const received = receivedFor("/flaky", id!);
    const attempts = await attemptsOf(id!);
    expect(received.length).toBe(attempts.length);
    expect(sink.received.filter((r) => r.path === "/flaky").every((r) => r.verified)).toBe(true);
    expect(received.map((r) => r.body)).toEqual(Array(received.length).fill(received[0]!.body));
    expect(attempts.slice(0, 2).map((a) => [a.statusCode, a.error])).toEqual([
      [503, "HTTP 503"],
      [null, "timed out"],
    ]);
    expect(attempts.at(-1)).toMatchObject({ statusCode: 200, error: null });
    expect(attempts[0]!.responseExcerpt).toBe("busy");
    expect(await delivery(id!)).toMatchObject({ attempts: attempts.length, failures: 0, lastStatusCode: 200 });
    expect(await endpoint(e.id)).toMatchObject({ status: "enabled", failingSince: null, lastError: "timed out" });
  });

  it("disables an endpoint that fails every attempt; its events wait and are replayed when it is enabled", async () => {
    const { endpoint: e } = await registerEndpoint(t.db, admin, sink, { path: "/dead", events: ["phase.activated"] });
    let alive = false;
    answers.set("/dead", () => (alive ? { status: 200 } : { status: 500 }));
    const [first] = await announce("dead-1");
    workers = await startWebhookWorkers(t.db, freshPrefix(), { webhookRetryDelaysMs: [50, 100] });

    await vi.waitFor(async () => expect((await endpoint(e.id)).status).toBe("disabled"), { timeout: 15_000, interval: 50 });
    const disabled = await endpoint(e.id);
    expect(disabled.disabledAutomatically).toBe(true);
    expect(disabled.disabledReason).toMatch(/failed for the whole retry window.*HTTP 500/);
    expect(await delivery(first!)).toMatchObject({ status: "pending", failures: 0 });
    expect(receivedFor("/dead", first!)).toHaveLength(3);

    // Events keep coming while it is disabled: they wait, nothing is sent.
    const later = [...(await announce("dead-2")), ...(await announce("dead-3"))];
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.received.filter((r) => r.path === "/dead")).toHaveLength(3);
    expect((await Promise.all(later.map(delivery))).map((d) => d.status)).toEqual(["pending", "pending"]);

    alive = true;
    const { replayed } = await setWebhookEndpointEnabled(t.db, admin, { endpointId: e.id, enabled: true });
    expect(replayed).toBe(3);
    await vi.waitFor(
      async () => expect((await Promise.all([first!, ...later].map(delivery))).map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]),
      { timeout: 15_000, interval: 50 },
    );
    expect(receivedFor("/dead", first!)).toHaveLength(4);
    for (const id of later) expect(receivedFor("/dead", id)).toHaveLength(1);
    expect(await endpoint(e.id)).toMatchObject({ status: "enabled", disabledReason: null, failingSince: null });
    const [audit] = await t.db.execute<{ after: { replayed: number } }>(sql`select after from audit_events where action = 'webhook.enable' and target_id = ${e.id}`);
    expect(audit!.after.replayed).toBe(3);
  });

  it("fails a delivery that keeps failing while its endpoint accepts others; send again delivers it", async () => {
    const { endpoint: e } = await registerEndpoint(t.db, admin, sink, { path: "/picky", events: ["phase.activated"] });
    let refusePoison = true;
    answers.set("/picky", (r) => (r.body.data.slug === "poison" && refusePoison ? { status: 422, body: "cannot parse" } : { status: 200 }));
    const [poison] = await announce("poison");
    workers = await startWebhookWorkers(t.db, freshPrefix(), { webhookRetryDelaysMs: [400, 400] });

    await vi.waitFor(() => expect(receivedFor("/picky", poison!)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    const [fine] = await announce("fine");
    await vi.waitFor(async () => expect((await delivery(poison!)).status).toBe("failed"), { timeout: 15_000, interval: 50 });
    expect((await delivery(fine!)).status).toBe("delivered");
    expect(receivedFor("/picky", poison!)).toHaveLength(3);
    expect((await endpoint(e.id)).status).toBe("enabled");

    refusePoison = false;
    await sendWebhookAgain(t.db, admin, poison!);
    await vi.waitFor(async () => expect((await delivery(poison!)).status).toBe("delivered"), { timeout: 15_000, interval: 50 });
    const received = receivedFor("/picky", poison!);
    expect(received).toHaveLength(4);
    expect(new Set(received.map((r) => r.webhookId))).toEqual(new Set([poison]));
    const [audit] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'webhook.send_again' and target_id = ${poison}`);
    expect(audit!.n).toBe(1);
  });

  it("sends a delivery again, with the same webhook-id, when the worker is killed mid-delivery; nothing is lost", async () => {
    await registerEndpoint(t.db, admin, sink, { path: "/chaos", events: ["phase.activated"] });
    let hung: ReceivedWebhook | null = null;
    answers.set("/chaos", (r) => {
      if (r.body.data.slug === "chaos-3" && !hung) {
        hung = r;
        return "hang";
      }
      return { status: 200 };
    });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(...(await announce(`chaos-${i}`)));
    const prefix = freshPrefix();
    spawned = await spawnWorker({ DATABASE_URL: t.url, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix });
    await vi.waitFor(() => expect(hung).not.toBeNull(), { timeout: 30_000, interval: 20 });
    const hungId = (hung as ReceivedWebhook | null)!.webhookId;
    spawned.child.kill("SIGKILL");
    await spawned.exited;
    expect((await delivery(hungId)).status).toBe("sending");

    // Another worker finds the abandoned claim (stale after 1 s) and sends it again.
    workers = await startWebhookWorkers(t.db, prefix, { webhookStaleClaimMs: 1000, webhookTimeoutMs: 800 }, { schedules: true });
    await vi.waitFor(
      async () => expect((await Promise.all(ids.map(delivery))).every((d) => d.status === "delivered")).toBe(true),
      { timeout: 30_000, interval: 100 },
    );
    const again = receivedFor("/chaos", hungId);
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(new Set(again.map((r) => r.raw)).size).toBe(1);
    for (const id of ids) expect(receivedFor("/chaos", id).length).toBeGreaterThanOrEqual(1);
    const attempts = await attemptsOf(hungId);
    expect(attempts[0]!.error).toMatch(/^interrupted/);
    expect(attempts.at(-1)).toMatchObject({ statusCode: 200, error: null });
  });
});
