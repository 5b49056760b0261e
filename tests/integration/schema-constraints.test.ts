// Every database-enforced rule of the schema, each tried and refused.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  invitations,
  members,
  phases,
  policySettings,
  quotaLedger,
  registrations,
  staffUsers,
  type NewRegistration,
} from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

let phoneCounter = 0;
function registrationValues(overrides: Partial<NewRegistration> = {}): NewRegistration {
  phoneCounter += 1;
  const phone = `+3361234${String(phoneCounter).padStart(4, "0")}`;
  return {
    phone,
    phoneHash: `hash-${phone}`,
    phoneCountry: "FR",
    platform: "android",
    referralCode: `REF${randomUUID().slice(0, 8)}`,
    ...overrides,
  };
}

async function insertRegistration(overrides: Partial<NewRegistration> = {}) {
  const [row] = await t.db.insert(registrations).values(registrationValues(overrides)).returning();
  return row!;
}

async function insertPhase(slug: string, status: "draft" | "active" | "closed" = "draft") {
  const [row] = await t.db.insert(phases).values({ slug, name: slug, kind: "closed", status }).returning();
  return row!;
}

/** Resolves to the Postgres error a statement raised, so a test can assert which rule refused it. */
async function refusal(statement: Promise<unknown>): Promise<{ code?: string; constraint_name?: string; message: string }> {
  try {
    await statement;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    return cause as { code?: string; constraint_name?: string; message: string };
  }
  throw new Error("the statement was accepted");
}

describe("phases", () => {
  it("allows at most one active phase", async () => {
    await insertPhase("wave-1", "active");
    const error = await refusal(insertPhase("wave-2", "active"));
    expect(error.code).toBe("23505");
    expect(error.constraint_name).toBe("phases_single_active_key");
  });

  it("refuses a second activation even when two transactions race", async () => {
    await t.db.update(phases).set({ status: "closed" }).where(sql`status = 'active'`);
    const a = await insertPhase("race-a");
    const b = await insertPhase("race-b");
    const results = await Promise.allSettled(
      [a.id, b.id].map((id) => t.db.update(phases).set({ status: "active" }).where(sql`id = ${id}`)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [{ active }] = (await t.sql`select count(*)::int as active from phases where status = 'active'`) as unknown as [{ active: number }];
    expect(active).toBe(1);
  });
});

describe("registrations", () => {
  it("allows one live registration per phone", async () => {
    const first = await insertRegistration();
    const error = await refusal(insertRegistration({ phone: first.phone, phoneHash: first.phoneHash }));
    expect(error.constraint_name).toBe("registrations_live_phone_key");
  });

  it("lets a lapsed or removed phone register again", async () => {
    const lapsed = await insertRegistration({ status: "lapsed" });
    const again = await insertRegistration({ phone: lapsed.phone, phoneHash: lapsed.phoneHash });
    expect(again.id).not.toBe(lapsed.id);
  });

  it("refuses a waiting registration without a queue time", async () => {
    const error = await refusal(insertRegistration({ status: "waiting" }));
    expect(error.constraint_name).toBe("registrations_queued_when_waiting");
  });

  it("derives priority from referral points and boosts", async () => {
    const row = await insertRegistration({ referralPoints: 3, boostPoints: 5 });
    expect(row.priority).toBe(8);
    const error = await refusal(t.sql`update registrations set priority = 1 where id = ${row.id}`);
    expect(error.message).toMatch(/can only be updated to DEFAULT/);
  });
});

describe("invitations", () => {
  it("allows at most one live invitation per registration", async () => {
    const phase = await insertPhase(`inv-${randomUUID()}`);
    const reg = await insertRegistration();
    const expiresAt = new Date(Date.now() + 3_600_000);
    await t.db.insert(invitations).values({ registrationId: reg.id, phaseId: phase.id, source: "staff", codeHash: randomUUID(), expiresAt });
    const error = await refusal(
      t.db.insert(invitations).values({ registrationId: reg.id, phaseId: phase.id, source: "staff", codeHash: randomUUID(), expiresAt, status: "sent" }),
    );
    expect(error.constraint_name).toBe("invitations_live_registration_key");
    // A finished invitation does not count as live.
    await t.db.insert(invitations).values({ registrationId: reg.id, phaseId: phase.id, source: "staff", codeHash: randomUUID(), expiresAt, status: "expired" });
  });
});

describe("members and quota", () => {
  it("never lets a balance go negative", async () => {
    const phase = await insertPhase(`m-${randomUUID()}`);
    const reg = await insertRegistration({ status: "admitted" });
    const [member] = await t.db.insert(members).values({ registrationId: reg.id, phaseId: phase.id, inviteQuota: 1, tokenHash: randomUUID() }).returning();
    const error = await refusal(t.db.update(members).set({ inviteQuota: -1 }).where(sql`id = ${member!.id}`));
    expect(error.constraint_name).toBe("members_invite_quota_nonnegative");
    const zero = await refusal(t.db.insert(quotaLedger).values({ memberId: member!.id, delta: 0, reason: "grant", actor: "system" }));
    expect(zero.constraint_name).toBe("quota_ledger_delta_nonzero");
  });

  it("allows one member per registration", async () => {
    const phase = await insertPhase(`m2-${randomUUID()}`);
    const reg = await insertRegistration({ status: "admitted" });
    await t.db.insert(members).values({ registrationId: reg.id, phaseId: phase.id, tokenHash: randomUUID() });
    const error = await refusal(t.db.insert(members).values({ registrationId: reg.id, phaseId: phase.id, tokenHash: randomUUID() }));
    expect(error.code).toBe("23505");
  });
});

describe("audit events", () => {
  // The runtime role has no UPDATE/DELETE/TRUNCATE privilege at all (db-least-privilege.test.ts);
  // the triggers refuse even the owner.
  it("are append-only, for the owner too", async () => {
    const [event] = await t.db.insert(auditEvents).values({ actorLabel: "system", action: "test.write", targetType: "test" }).returning();
    const update = await refusal(t.owner`update audit_events set action = 'x' where id = ${event!.id}`);
    expect(update.message).toMatch(/append-only/);
    const del = await refusal(t.owner`delete from audit_events where id = ${event!.id}`);
    expect(del.message).toMatch(/append-only/);
    const truncate = await refusal(t.owner`truncate audit_events`);
    expect(truncate.message).toMatch(/append-only/);
  });
});

describe("singletons and staff", () => {
  it("keeps exactly one policy row, seeded with defaults", async () => {
    const rows = await t.db.select().from(policySettings);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.verificationWindowMinutes).toBe(30);
    expect(rows[0]!.retentionDays).toBe(30);
    const error = await refusal(t.db.insert(policySettings).values({ id: 2 }));
    expect(error.constraint_name).toBe("policy_settings_singleton");
  });

  it("treats staff e-mails case-insensitively", async () => {
    await t.db.insert(staffUsers).values({ email: "Ops@Example.com", role: "support" });
    const error = await refusal(t.db.insert(staffUsers).values({ email: "ops@example.com", role: "growth" }));
    expect(error.constraint_name).toBe("staff_users_email_key");
  });
});

describe("waitlist counts", () => {
  it("follow every change to the waiting set exactly", async () => {
    const counts = async () =>
      (await t.sql`select coalesce(sum(n), 0)::int as n from waitlist_counts`) as unknown as [{ n: number }];
    const truth = async () =>
      (await t.sql`select count(*)::int as n from registrations where status = 'waiting'`) as unknown as [{ n: number }];
    const queuedAt = new Date("2026-01-01T10:30:00Z");
    const a = await insertRegistration({ status: "waiting", queuedAt });
    await insertRegistration({ status: "waiting", queuedAt: new Date("2026-01-01T11:05:00Z") });
    await t.db.update(registrations).set({ boostPoints: 5 }).where(sql`id = ${a.id}`);
    await t.db.update(registrations).set({ status: "invited" }).where(sql`status = 'waiting' and boost_points = 0`);
    await t.db.delete(registrations).where(sql`id = ${a.id}`);
    expect((await counts())[0].n).toBe((await truth())[0].n);
    const perBucket = await t.sql`
      select priority, bucket, sum(n)::int as n from waitlist_counts group by 1, 2 having sum(n) <> 0`;
    expect(perBucket).toHaveLength(0);
  });
});
