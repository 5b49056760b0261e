import { eq, sql } from "drizzle-orm";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { startWorkers, type WorkersHandle } from "../../jobs/worker";
import { createSmtpProvider } from "../../lib/notifications/providers/smtp";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { countingProvider, insertOutbox, memoryLogger } from "../helpers/notifications";

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

let database: TestDatabase;
let server: SMTPServer;
let port: number;
let handle: WorkersHandle;
const prefix = uniqueQueuePrefix();
const received: ReceivedMail[] = [];
/** Recipient → SMTP reply code to refuse it with (tests set it). */
const refuse = new Map<string, number>();

beforeAll(async () => {
  database = await createTestDatabase();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = refuse.get(address.address);
      if (code) {
        // A 4xx refusal is temporary: the next attempt is accepted.
        if (code < 500) refuse.delete(address.address);
        const error = new Error(`refused ${address.address}`) as Error & { responseCode: number };
        error.responseCode = code;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  port = (server.server.address() as { port: number }).port;
  handle = await startWorkers({
    db: database.db,
    redis: { url: testRedisUrl() },
    prefix,
    providers: { sms: countingProvider(), email: createSmtpProvider({ url: `smtp://127.0.0.1:${port}`, from: "Gatehouse <no-reply@gatehouse.test>" }) },
    settings: { notificationBackoffMs: 50 },
    relay: { idleMs: 20 },
    schedules: false,
    log: memoryLogger(),
  });
});

afterEach(async () => {
  await database.db.delete(notifications).where(sql`true`);
});

afterAll(async () => {
  await handle.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.drop();
  await deleteKeysWithPrefix(prefix);
});

async function row(id: string) {
  const [r] = await database.db.select().from(notifications).where(eq(notifications.id, id));
  return r!;
}

const settled = (id: string) => expect.poll(async () => (await row(id)).status, { timeout: 30_000 }).toBeOneOf(["sent", "failed"]);

describe("smtp provider", () => {
  it("sends e-mail notifications through SMTP with the rendered subject and body", async () => {
    const [id] = await insertOutbox(database.db, 1, {
      channel: "email",
      kind: "invitation",
      locale: "fr",
      recipient: "lea@example.test",
      secret: "ABCDEFGHJKMNPQRS",
      params: { phaseName: "Bêta fermée", expiresAt: "2026-12-01T10:00:00.000Z" },
    });
    await settled(id!);
    const mail = received.find((m) => m.to.includes("lea@example.test"))!;
    expect(mail.from).toBe("no-reply@gatehouse.test");
    expect(mail.raw).toMatch(/^Subject: .+/m);
    expect(mail.raw.toLowerCase()).toContain(`x-gatehouse-notification-id: ${id}`);
    expect(mail.raw).toContain("ABCD-EFGH-JKMN-PQRS");
    expect(await row(id!)).toMatchObject({ status: "sent", attempts: 1, providerMessageId: `<${id}@gatehouse>`, secret: null });
  });

  it("retries a temporary refusal (4xx) and fails on a permanent one (5xx)", async () => {
    refuse.set("later@example.test", 451);
    refuse.set("nobody@example.test", 550);
    const [later] = await insertOutbox(database.db, 1, { channel: "email", recipient: "later@example.test" });
    const [nobody] = await insertOutbox(database.db, 1, { channel: "email", recipient: "nobody@example.test" });
    await settled(later!);
    await settled(nobody!);
    expect(await row(later!)).toMatchObject({ status: "sent", attempts: 2 });
    const failed = await row(nobody!);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed.lastError).toContain("550");
  });
});
