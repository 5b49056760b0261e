// Staff retry/resolve, the stale-claim sweep, and reminders: the parts of the delivery
// lifecycle that run outside a single send.
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, invitations, notifications } from "../../db/schema";
import { startWorkers, type WorkersHandle } from "../../jobs/worker";
import { claimNotification } from "../../lib/notifications/delivery";
import { enqueueInvitationReminders } from "../../lib/notifications/reminders";
import { markStaleClaimsUnknown } from "../../lib/notifications/relay";
import { resolveUnknownNotification } from "../../lib/notifications/resolve-unknown-notification";
import { retryNotification } from "../../lib/notifications/retry-notification";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertRegistration, insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { setPolicy, withPolicy } from "../helpers/policy";
import { bothChannels, countingProvider, insertOutbox, memoryLogger } from "../helpers/notifications";
import { openNotificationCode } from "../../lib/notifications/code-secret";

let database: TestDatabase;
let handle: WorkersHandle | null = null;
const prefixes: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await handle?.close();
  handle = null;
  await database.db.delete(notifications).where(sql`true`);
});
afterAll(async () => {
  await database.drop();
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

async function row(id: string) {
  const [r] = await database.db.select().from(notifications).where(eq(notifications.id, id));
  return r!;
}

async function setStatus(id: string, status: "failed" | "unknown" | "sending", extra: Record<string, unknown> = {}) {
  await database.db.update(notifications).set({ status, attempts: 5, lastError: "boom", ...extra }).where(eq(notifications.id, id));
}

describe("stale claims", () => {
  it("turns only old `sending` rows into `unknown`, and a later claim attempt does nothing", async () => {
    const [stale, fresh] = await insertOutbox(database.db, 2);
    await claimNotification(database.db, stale!);
    await claimNotification(database.db, fresh!);
    await database.db.update(notifications).set({ updatedAt: sql`now() - interval '10 minutes'` }).where(eq(notifications.id, stale!));

    expect(await markStaleClaimsUnknown(database.db, { olderThanMs: 5 * 60_000 })).toBe(1);
    expect((await row(stale!)).status).toBe("unknown");
    expect((await row(fresh!)).status).toBe("sending");
    // Never resent automatically: neither row can be claimed again.
    expect(await claimNotification(database.db, stale!)).toBeNull();
    expect(await claimNotification(database.db, fresh!)).toBeNull();
  });
});

describe("staff retry of a failed notification", () => {
  it("requeues it, sends it once, and audits who did it", async () => {
    const prefix = uniqueQueuePrefix();
    prefixes.push(prefix);
    const provider = countingProvider();
    handle = await startWorkers({
      db: database.db,
      redis: { url: testRedisUrl() },
      prefix,
      providers: bothChannels(provider),
      relay: { idleMs: 20 },
      schedules: false,
      log: memoryLogger(),
    });
    // Delivered once, then (as if the provider had bounced it) marked failed while its finished
    // job is still retained in Redis under the same id.
    const [id] = await insertOutbox(database.db, 1);
    await expect.poll(async () => (await row(id!)).status, { timeout: 30_000 }).toBe("sent");
    await setStatus(id!, "failed", { secret: "654321" });

    const support = await insertStaff(database.db, "support");
    const retried = await retryNotification(database.db, support, { notificationId: id! });
    expect(retried.status).toBe("pending");
    await expect.poll(async () => (await row(id!)).status, { timeout: 30_000, message: "retried notification sent" }).toBe("sent");
    expect(provider.counts.get(id!)).toBe(2);
    expect(provider.messages.at(-1)!.code).toBe("654321");

    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "notification.retry"), eq(auditEvents.targetId, id!)));
    expect(audit).toMatchObject({ actorId: support.staffId, targetType: "notification" });
    expect(audit!.before).toMatchObject({ status: "failed" });
    expect(audit!.after).toMatchObject({ status: "pending" });
    // Phones in audit rows are masked.
    expect(JSON.stringify(audit!.before)).not.toContain("+33612345678");
  });

  it("refuses roles without the permission and rows that are not failed", async () => {
    const [id] = await insertOutbox(database.db, 1);
    const product = await insertStaff(database.db, "product");
    const growth = await insertStaff(database.db, "growth");
    await expect(retryNotification(database.db, product, { notificationId: id! })).rejects.toMatchObject({ code: "forbidden" });
    await expect(retryNotification(database.db, growth, { notificationId: id! })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(retryNotification(database.db, growth, { notificationId: "not-a-uuid" })).rejects.toMatchObject({ issues: [expect.objectContaining({ code: "invalid_format", path: ["notificationId"] })] });
    await expect(
      retryNotification(database.db, growth, { notificationId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await row(id!)).status).toBe("pending");
  });
});

describe("staff resolve of an unknown notification", () => {
  it("records sent (wiping the code) or failed (keeping it for a retry), audited", async () => {
    const [a, b] = await insertOutbox(database.db, 2);
    await setStatus(a!, "unknown");
    await setStatus(b!, "unknown");
    const admin = await insertStaff(database.db, "admin");

    const sent = await resolveUnknownNotification(database.db, admin, { notificationId: a!, outcome: "sent" });
    expect(sent).toMatchObject({ status: "sent", secret: null });
    expect(sent.sentAt).not.toBeNull();
    const failed = await resolveUnknownNotification(database.db, admin, { notificationId: b!, outcome: "failed", note: "provider has no record" });
    expect(openNotificationCode(failed.secret)).toBe("123456");
    expect(failed).toMatchObject({ status: "failed", lastError: "resolved as failed: provider has no record" });

    const audits = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "notification.resolve"));
    expect(audits.map((e) => e.targetId).sort()).toEqual([a, b].sort());
    await expect(resolveUnknownNotification(database.db, admin, { notificationId: a!, outcome: "failed" })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(
      resolveUnknownNotification(database.db, await insertStaff(database.db, "product"), { notificationId: b!, outcome: "sent" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("invitation reminders", () => {
  async function invitation(options: { expiresInHours: number; issuedHoursAgo: number; status?: "pending" | "sent" | "redeemed" }) {
    const phase = await insertPhase(database.db, { name: "Wave 1" });
    const registration = await insertRegistration(database.db, { status: "invited", locale: "zh" });
    const [inv] = await database.db
      .insert(invitations)
      .values({
        registrationId: registration.id,
        phaseId: phase.id,
        source: "batch",
        status: options.status ?? "sent",
        codeHash: randomBytes(16).toString("hex"),
        expiresAt: new Date(Date.now() + options.expiresInHours * 3600_000),
        createdAt: new Date(Date.now() - options.issuedHoursAgo * 3600_000),
      })
      .returning();
    return { inv: inv!, registration };
  }

  it("sends one reminder per due invitation, only once, and none when the policy turns them off", async () => {
    // Restored whatever happens: the tests of this file share its database.
    await withPolicy(database.db, { reminderHoursBeforeExpiry: 24 }, async () => {
      const due = await invitation({ expiresInHours: 20, issuedHoursAgo: 52 });
      await invitation({ expiresInHours: 30, issuedHoursAgo: 42 }); // not yet due
      await invitation({ expiresInHours: 2, issuedHoursAgo: 1 }); // too short-lived to remind
      await invitation({ expiresInHours: 20, issuedHoursAgo: 52, status: "redeemed" });
      await invitation({ expiresInHours: 20, issuedHoursAgo: 52, status: "pending" }); // message not out yet

      // Two sweeps racing still insert one reminder.
      const counts = await Promise.all([enqueueInvitationReminders(database.db), enqueueInvitationReminders(database.db)]);
      expect(counts.sort()).toEqual([0, 1]);
      expect(await enqueueInvitationReminders(database.db)).toBe(0);

      const reminders = await database.db.select().from(notifications).where(eq(notifications.kind, "invitation_reminder"));
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toMatchObject({
        invitationId: due.inv.id,
        registrationId: due.registration.id,
        recipient: due.registration.phone,
        locale: "zh",
        channel: "sms",
        status: "pending",
        secret: null,
      });
      expect(reminders[0]!.params).toMatchObject({ phaseName: "Wave 1", expiresAt: due.inv.expiresAt.toISOString() });

      await setPolicy(database.db, { reminderHoursBeforeExpiry: null });
      await invitation({ expiresInHours: 10, issuedHoursAgo: 62 });
      expect(await enqueueInvitationReminders(database.db)).toBe(0);
    });
  });
});
