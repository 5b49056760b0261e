// Operations: GET /api/metrics through the front server (404 without METRICS_TOKEN, 401 for a
// wrong token) and numbers that move with real traffic — HTTP latency per route, registrations,
// verifications, notifications by status, queue depths, batch progress; several web processes
// summed through the node:cluster primary; and the request id of an HTTP request carried into
// the job it enqueued and into that job's log context, also through the notification and webhook outboxes.
import cluster from "node:cluster";
import { readdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrontServer } from "../../app/_server/front/front-server";
import { CONSOLE_SECTIONS } from "../../app/_server/metrics/http-observer";
import { routeRegistry } from "../../app/_server/routes/registry";
import { createRouter } from "../../app/_server/routes/router";
import { notifications, webhookDeliveries, type Phase } from "../../db/schema";
import { runBatch } from "../../jobs/definitions/admissions";
import { deliverSms } from "../../jobs/definitions/notifications";
import { deliverWebhook } from "../../jobs/definitions/webhooks";
import { defineProcessor, type Logger } from "../../jobs/processor";
import { closeProducer } from "../../jobs/producer";
import { startWorkers, type WorkersHandle } from "../../jobs/start-workers";
import { env } from "../../lib/env.js";
import { createBatch } from "../../lib/batches/create-batch";
import { runBatchChunk } from "../../lib/batches/run";
import { inviteSelection } from "../../lib/invitations/issue";
import { currentLogContext, withLogContext, type LogContext } from "../../lib/log";
import { installMetricsPrimary } from "../../lib/metrics/cluster-metrics";
import { activatePhase } from "../../lib/phases/activate-phase";
import { getPolicySettings } from "../../lib/policy/get-policy-settings";
import { createPhase } from "../../lib/phases/create-phase";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { createWebhookEndpoint } from "../../lib/webhooks/create-webhook-endpoint";
import { webhookJobId } from "../../lib/webhooks/relay-webhook-deliveries";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff, uniqueMobile } from "../helpers/factories";
import { releaseTestServices, useTestServices } from "../helpers/public-api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { latestCode } from "../helpers/registrations";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
const root = path.resolve(import.meta.dirname, "../..");

let t: TestDatabase;
let server: Server;
let base: string;
let handle: WorkersHandle;
let staffToken: string;
const prefix = uniqueQueuePrefix();
/** What the batch-run processor saw, by batch id: its request id, the fields of a line it logged, and any AsyncLocalStorage context. */
const jobContexts = new Map<string, { requestId: string | undefined; line: Record<string, unknown> | undefined; storage: LogContext | undefined }>();
const jobLines = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  await closeProducer();
  await createStaffUser(t.db, null, { email: "growth@metrics.test", role: "growth" });
  staffToken = (await createApiToken(t.db, null, { email: "growth@metrics.test" })).token;
  const product = await insertStaff(t.db, "product");
  await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "metrics-wave", name: "Metrics wave", kind: "closed" })).id);
  server = createFrontServer({
    router: createRouter(routeRegistry),
    trustProxy: { kind: "hops", hops: 0 },
    // Next's stand-in: a console page answers 200, anything else 404.
    next: async (request, response) => {
      response.writeHead(request.url?.startsWith("/waitlist") ? 200 : 404, { "content-type": "text/html" }).end("<html></html>");
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The relay moves the outbox into the queues; no delivery worker, so the jobs stay waiting.
  // The batch-run processor only records the context it ran with (the batch stays queued).
  const recordContext = defineProcessor(runBatch, {
    handle: async ({ batchId }, ctx) => {
      ctx.log("test.context", { batchId });
      jobContexts.set(batchId, { requestId: ctx.requestId, line: jobLines.get(batchId), storage: currentLogContext() });
    },
  });
  const log: Logger = (event, fields) => {
    if (event === "test.context") jobLines.set(String(fields?.batchId), fields ?? {});
  };
  handle = await startWorkers({ db: t.db, prefix, processors: [recordContext], relay: { idleMs: 20 }, schedules: false, log });
});

afterAll(async () => {
  await handle?.close();
  await new Promise((resolve) => server?.close(resolve));
  await closeProducer();
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  Object.assign(env, { METRICS_TOKEN: undefined });
  await t?.drop();
});

type Samples = Map<string, number>;

/** Prometheus text → value by `name{label="value",…}` exactly as exposed (labels in exposition order). */
function samples(text: string): Samples {
  const map: Samples = new Map();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    map.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return map;
}

async function scrape(): Promise<Samples> {
  const response = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return samples(await response.text());
}

const value = (s: Samples, key: string) => s.get(key) ?? 0;

function post(pathname: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${pathname}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("GET /api/metrics", () => {
  it("does not exist without METRICS_TOKEN, and refuses a missing or wrong token", async () => {
    Object.assign(env, { METRICS_TOKEN: undefined });
    const unset = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(unset.status).toBe(404);
    expect(unset.headers.get("content-type")).toBe("application/problem+json");

    Object.assign(env, { METRICS_TOKEN });
    expect((await fetch(`${base}/api/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).type).toMatch(/unauthenticated$/);
  });

  it("moves with real traffic", async () => {
    Object.assign(env, { METRICS_TOKEN });
    const before = await scrape();

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const registered = await post("/api/v1/registrations", { phone: uniqueMobile(), platform: "android" });
      expect(registered.status).toBe(202);
      ids.push((await registered.json()).registrationId);
    }
    expect((await post(`/api/v1/registrations/${ids[0]}/verify`, { code: await latestCode(t.db, ids[0]!) })).status).toBe(200);
    expect((await post(`/api/v1/registrations/${ids[1]}/verify`, { code: "000000" })).status).toBe(400);
    expect((await fetch(`${base}/waitlist?status=waiting`)).status).toBe(200);
    expect((await fetch(`${base}/no-such-page/at/all`)).status).toBe(404);
    const created = await post("/api/admin/v1/batches", { kind: "admit_next", size: 1 }, { authorization: `Bearer ${staffToken}`, "idempotency-key": "metrics-batch-1" });
    expect(created.status).toBe(201);
    const { batch } = await created.json();
    // The relay has moved the five verification codes into the SMS queue.
    await expect.poll(async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from notifications where status = 'queued'`)[0]!.n).toBe(5);

    const after = await scrape();
    const delta = (key: string) => value(after, key) - value(before, key);
    expect(delta("gatehouse_registrations_total")).toBe(5);
    expect(delta('gatehouse_verifications_total{result="verified"}')).toBe(1);
    expect(delta('gatehouse_verifications_total{result="rejected"}')).toBe(1);
    expect(delta('gatehouse_http_request_duration_seconds_count{route="register",status="2xx"}')).toBe(5);
    expect(delta('gatehouse_http_request_duration_seconds_count{route="verifyRegistration",status="2xx"}')).toBe(1);
    expect(delta('gatehouse_http_request_duration_seconds_count{route="verifyRegistration",status="4xx"}')).toBe(1);
    expect(delta('gatehouse_http_request_duration_seconds_count{route="createBatch",status="2xx"}')).toBe(1);
    expect(delta('gatehouse_http_request_duration_seconds_count{route="next:/waitlist",status="2xx"}')).toBe(1);
    expect(delta('gatehouse_http_request_duration_seconds_count{route="next:other",status="4xx"}')).toBe(1);
    expect(value(after, 'gatehouse_http_request_duration_seconds_bucket{le="+Inf",route="register",status="2xx"}')).toBe(
      value(after, 'gatehouse_http_request_duration_seconds_count{route="register",status="2xx"}'),
    );
    expect(delta('gatehouse_http_request_duration_seconds_sum{route="register",status="2xx"}')).toBeGreaterThan(0);

    expect(value(after, "gatehouse_redis_up")).toBe(1);
    expect(value(after, 'gatehouse_queue_jobs{queue="notifications-sms",state="waiting"}')).toBe(5);
    expect(value(after, 'gatehouse_notifications{status="queued"}')).toBe(5);
    expect(value(after, 'gatehouse_batches_active{status="queued"}')).toBe(1);
    expect(value(after, `gatehouse_batch_items{batch_id="${batch.id}",kind="admit_next",status="queued",counter="requested"}`)).toBe(1);
    expect(value(after, "gatehouse_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("reports the SMS budgets and their use", async () => {
    Object.assign(env, { METRICS_TOKEN });
    // The global budget counts per clock minute: begin early in one, so both scrapes read one window.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
    const minute = Math.floor(Date.now() / 60_000);
    const used = 'gatehouse_sms_budget_used{scope="global",key="all"}';
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await post("/api/v1/registrations", { phone: uniqueMobile(), platform: "ios" })).status).toBe(202);
    const after = await scrape();
    expect(Math.floor(Date.now() / 60_000)).toBe(minute);
    expect(value(after, used) - value(before, used)).toBe(3);
    const { smsBudgetGlobalPerMinute } = await getPolicySettings(t.db);
    expect(value(after, 'gatehouse_sms_budget_limit{scope="global",key="all"}')).toBe(smsBudgetGlobalPerMinute);
  });

  it("sums every web process when the node:cluster primary aggregates", async () => {
    const savedFlag = process.env.GATEHOUSE_METRICS_PRIMARY;
    installMetricsPrimary();
    cluster.setupPrimary({ exec: path.join(root, "tests/helpers/metrics-web-process.ts"), execArgv: ["--import", "tsx"], silent: true });
    const workers = [cluster.fork({ REGISTRATIONS: "3" }), cluster.fork({ REGISTRATIONS: "4" })];
    try {
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => w.once("message", () => resolve()))));
      const scraped = new Promise<string>((resolve) => workers[0]!.on("message", (m: { scraped?: string }) => m.scraped && resolve(m.scraped)));
      workers[0]!.send("scrape");
      expect(value(samples(await scraped), "gatehouse_registrations_total")).toBe(7);
    } finally {
      await Promise.all(workers.map((w) => new Promise((resolve) => (w.isDead() ? resolve(null) : (w.once("exit", resolve), w.kill())))));
      process.env.GATEHOUSE_METRICS_PRIMARY = savedFlag;
    }
  });
});

describe("page labels", () => {
  it("keeps the page label list in step with the console's sections", () => {
    const sections = ["(console)", "(auth)"].flatMap((group) =>
      readdirSync(path.join(root, "app", group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
        .map((entry) => entry.name),
    );
    expect([...CONSOLE_SECTIONS].sort()).toEqual(sections.sort());
  });
});

describe("request ids in jobs", () => {
  // The job runner passes the context explicitly: an AsyncLocalStorage context would turn on
  // promise hooks in the worker process, a measured 20 % of a notification's worker CPU.
  it("carries the HTTP request's id into the job it enqueued and into that job's context, without AsyncLocalStorage", async () => {
    const requestId = "trace-metrics-batch-2";
    const created = await post(
      "/api/admin/v1/batches",
      { kind: "admit_next", size: 1 },
      { authorization: `Bearer ${staffToken}`, "idempotency-key": "metrics-batch-2", "x-request-id": requestId },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get("x-request-id")).toBe(requestId);
    const { batch } = await created.json();
    expect((await handle.producer.queue(runBatch).getJob(batch.id))?.data).toEqual({ batchId: batch.id, requestId });
    await expect
      .poll(() => jobContexts.get(batch.id), { timeout: 20_000 })
      .toEqual({ requestId, line: { queue: "batch-run", jobId: batch.id, requestId, batchId: batch.id }, storage: undefined });
  });

  it("carries a registering request's id through the outbox into its SMS delivery job (new and repeat registrations)", async () => {
    const phone = uniqueMobile();
    const register = async (requestId: string) => {
      const response = await post("/api/v1/registrations", { phone, platform: "ios" }, { "x-request-id": requestId });
      expect(response.status).toBe(202);
      return ((await response.json()) as { registrationId: string }).registrationId;
    };
    // The first writes the registration and its code in the batched insert; the second, a fresh code through the outbox helper.
    const registrationId = await register("trace-register-new");
    expect(await register("trace-register-again")).toBe(registrationId);
    const rows = await t.db
      .select({ id: notifications.id, requestId: notifications.requestId })
      .from(notifications)
      .where(eq(notifications.registrationId, registrationId))
      .orderBy(asc(notifications.createdAt));
    expect(rows.map((r) => r.requestId)).toEqual(["trace-register-new", "trace-register-again"]);
    // The relay moves them into the SMS queue (no delivery worker here: the jobs wait).
    for (const row of rows) {
      await expect
        .poll(async () => (await handle.producer.queue(deliverSms).getJob(row.id))?.data, { timeout: 20_000 })
        .toEqual({ notificationId: row.id, requestId: row.requestId });
    }
  });

  it("carries a verifying request's id through the webhook outbox into the delivery job", async () => {
    const admin = await insertStaff(t.db, "admin");
    // Nothing listens at this address: the delivery job only waits in the queue (no webhook worker here).
    await createWebhookEndpoint(t.db, admin, { url: "http://127.0.0.1:9/hooks", events: ["registration.verified"] });
    const registered = await post("/api/v1/registrations", { phone: uniqueMobile(), platform: "android" });
    const { registrationId } = (await registered.json()) as { registrationId: string };
    const verified = await post(
      `/api/v1/registrations/${registrationId}/verify`,
      { code: await latestCode(t.db, registrationId) },
      { "x-request-id": "trace-verify-webhook" },
    );
    expect(verified.status).toBe(200);
    const [delivery] = await t.db
      .select({ id: webhookDeliveries.id, requestId: webhookDeliveries.requestId })
      .from(webhookDeliveries)
      .where(sql`${webhookDeliveries.data}->>'registrationId' = ${registrationId}`);
    expect(delivery?.requestId).toBe("trace-verify-webhook");
    await expect
      .poll(async () => (await handle.producer.queue(deliverWebhook).getJob(webhookJobId(delivery!.id, 1)))?.data, { timeout: 20_000 })
      .toEqual({ deliveryId: delivery!.id, requestId: "trace-verify-webhook" });
  });

  it("keeps the id of the request invitations are issued for on their messages", async () => {
    const phase = (await createPhase(t.db, await insertStaff(t.db, "product"), { slug: "trace-wave", name: "Trace wave", kind: "closed" })) as Phase;
    const invite = async (requestId: { given?: string; served?: string }) => {
      const registration = await insertRegistration(t.db, { status: "waiting" });
      const picked = sql`select r.id, r.phone, r.locale from registrations r where r.id = ${registration.id} for update skip locked`;
      const run = () => t.db.transaction((tx) => inviteSelection(tx, { picked, limit: 1, phase, source: "batch", batchId: null, requestId: requestId.given }));
      await (requestId.served ? withLogContext({ requestId: requestId.served }, run) : run());
      const [row] = await t.db.select({ requestId: notifications.requestId }).from(notifications).where(eq(notifications.registrationId, registration.id));
      return row?.requestId;
    };
    // A batch's chunk job passes the id of the request that created the batch.
    expect(await invite({ given: "trace-batch-chunk" })).toBe("trace-batch-chunk");
    // A staff member inviting during a web request: the request being served.
    expect(await invite({ served: "trace-web-invite" })).toBe("trace-web-invite");
    // The schedulers' messages belong to no request.
    expect(await invite({})).toBeNull();
  });

  it("records a batch's request id on its messages and its batch.completed event when a chunk is run for it", async () => {
    const growth = await insertStaff(t.db, "growth");
    await createWebhookEndpoint(t.db, await insertStaff(t.db, "admin"), { url: "https://hooks.example.test/trace", events: ["batch.completed"] });
    const registration = await insertRegistration(t.db, { status: "waiting", queuedAt: new Date("2000-01-01T00:00:00Z") });
    const created = await createBatch(t.db, growth, { kind: "admit_next", size: 1 }, "trace-batch-run-key");
    if (created.dryRun) throw new Error("not a dry run");
    const { done } = await runBatchChunk(t.db, created.batch.id, { chunkSize: 10, requestId: "trace-batch-run" });
    expect(done).toBe(true);
    const [message] = await t.db.select({ requestId: notifications.requestId }).from(notifications).where(eq(notifications.registrationId, registration.id));
    expect(message?.requestId).toBe("trace-batch-run");
    const [event] = await t.db
      .select({ requestId: webhookDeliveries.requestId })
      .from(webhookDeliveries)
      .where(sql`${webhookDeliveries.eventType} = 'batch.completed' and ${webhookDeliveries.data}->>'batchId' = ${created.batch.id}`);
    expect(event?.requestId).toBe("trace-batch-run");
  });

});
