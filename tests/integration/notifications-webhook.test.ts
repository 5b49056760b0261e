import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { startWorkers, type WorkersHandle } from "../../jobs/worker";
import { createWebhookProvider } from "../../lib/notifications/providers/webhook";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { bothChannels, insertOutbox, memoryLogger, startWebhookSink, type SinkAnswer, type WebhookSink } from "../helpers/notifications";

const SECRET = "test-webhook-secret-0123456789";
let database: TestDatabase;
let handle: WorkersHandle | null = null;
let sink: WebhookSink | null = null;
const prefixes: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await handle?.close();
  await sink?.close();
  handle = null;
  sink = null;
  await database.db.delete(notifications).where(sql`true`);
});
afterAll(async () => {
  await database.drop();
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

/** Starts a sink answering with `script` (by request number; last entry repeats) and a worker posting to it. */
async function run(script: SinkAnswer[], timeoutMs = 500) {
  sink = await startWebhookSink(() => script[Math.min(sink!.requests.length - 1, script.length - 1)]!);
  const prefix = uniqueQueuePrefix();
  prefixes.push(prefix);
  handle = await startWorkers({
    db: database.db,
    redis: { url: testRedisUrl() },
    prefix,
    providers: bothChannels(createWebhookProvider({ url: sink.url, secret: SECRET, timeoutMs })),
    settings: { notificationBackoffMs: 50 },
    relay: { idleMs: 20 },
    schedules: false,
    graceMs: 2000,
    log: memoryLogger(),
  });
  return sink;
}

async function row(id: string) {
  const [r] = await database.db.select().from(notifications).where(eq(notifications.id, id));
  return r!;
}

const settled = (id: string) => expect.poll(async () => (await row(id)).status, { timeout: 30_000, message: `${id} settled` }).toBeOneOf(["sent", "failed"]);

describe("webhook provider", () => {
  it("posts the contract body with Idempotency-Key and a verifiable HMAC signature", async () => {
    const sink = await run([{ status: 202, body: { messageId: "prov-42" } }]);
    const expiresAt = "2026-12-01T10:00:00.000Z";
    const [id] = await insertOutbox(database.db, 1, {
      kind: "invitation",
      locale: "fr",
      recipient: "+33699887766",
      secret: "ABCDEFGHJKMNPQRS",
      params: { phaseName: "Beta fermée", expiresAt },
    });
    await settled(id!);

    expect(sink.requests).toHaveLength(1);
    const request = sink.requests[0]!;
    expect(Object.keys(request.json).sort()).toEqual(["body", "channel", "code", "expiresAt", "id", "kind", "locale", "to"]);
    expect(request.json).toMatchObject({ id, channel: "sms", kind: "invitation", to: "+33699887766", locale: "fr", code: "ABCDEFGHJKMNPQRS", expiresAt });
    expect(request.json.body).toContain("ABCD-EFGH-JKMN-PQRS");
    expect(request.json.body).toContain("Beta fermée");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["idempotency-key"]).toBe(id);
    const expected = `sha256=${createHmac("sha256", SECRET).update(request.raw).digest("hex")}`;
    expect(request.headers["x-gatehouse-signature"]).toBe(expected);
    // A signature made with another secret does not match.
    expect(request.headers["x-gatehouse-signature"]).not.toBe(`sha256=${createHmac("sha256", "other").update(request.raw).digest("hex")}`);

    const sent = await row(id!);
    expect(sent).toMatchObject({ status: "sent", attempts: 1, providerMessageId: "prov-42", secret: null });
  });

  it("omits code and expiresAt when the message has none", async () => {
    const sink = await run([{ status: 200 }]);
    const [id] = await insertOutbox(database.db, 1, { kind: "invitation_reminder", secret: null, params: {} });
    await settled(id!);
    expect(Object.keys(sink.requests[0]!.json).sort()).toEqual(["body", "channel", "id", "kind", "locale", "to"]);
    expect((await row(id!)).providerMessageId).toBe(id);
  });

  it("retries 500, 429 and timeouts with the same Idempotency-Key, then records the send", async () => {
    const sink = await run([{ status: 500 }, { status: 429 }, "hang", { status: 200, body: { id: "ok-1" } }], 300);
    const [id] = await insertOutbox(database.db, 1);
    await settled(id!);
    const sent = await row(id!);
    expect(sent).toMatchObject({ status: "sent", attempts: 4, providerMessageId: "ok-1" });
    expect(sink.requests.map((r) => r.headers["idempotency-key"])).toEqual([id, id, id, id]);
    // Exponential backoff: each wait is longer than the one before (50 ms base, 50 % jitter).
    const gaps = sink.requests.slice(1).map((r, i) => r.receivedAt - sink.requests[i]!.receivedAt);
    expect(gaps[0]!).toBeGreaterThanOrEqual(20);
  });

  it("fails at once on another 4xx, keeping the error", async () => {
    const sink = await run([{ status: 400 }]);
    const [id] = await insertOutbox(database.db, 1);
    await settled(id!);
    expect(await row(id!)).toMatchObject({ status: "failed", attempts: 1, lastError: "webhook answered 400" });
    expect(sink.requests).toHaveLength(1);
  });

  it("gives up as failed after 5 attempts of retryable errors", async () => {
    const sink = await run([{ status: 503 }]);
    const [id] = await insertOutbox(database.db, 1);
    await settled(id!);
    const failed = await row(id!);
    expect(failed).toMatchObject({ status: "failed", attempts: 5, lastError: "webhook answered 503" });
    expect(failed.failedAt).not.toBeNull();
    expect(sink.requests).toHaveLength(5);
  });
});
