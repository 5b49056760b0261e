// Phases: one active at a time, activation tops member quotas up (ledgered), the scheduler
// activates due phases, open phases admit at verification (within capacity), roles.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../lib/auth/roles";
import { createMember } from "../../lib/members/create-member";
import { authenticateMember } from "../../lib/members/member-auth";
import { activateDuePhases, activatePhase } from "../../lib/phases/activate-phase";
import { closeEndedPhases, closePhase } from "../../lib/phases/close-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { schedulePhase } from "../../lib/phases/schedule-phase";
import { updatePhase } from "../../lib/phases/update-phase";
import { registerPhone } from "../../lib/registrations/register";
import { verifyRegistration } from "../../lib/registrations/verify";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { latestCode } from "../helpers/registrations";

let t: TestDatabase;
let product: Actor;
let growth: Actor;
let seq = 0;
const slug = () => `phase-${++seq}`;
const phone = () => `+3365${String(++seq).padStart(7, "0")}`;

beforeAll(async () => {
  t = await createTestDatabase();
  product = await insertStaff(t.db, "product");
  growth = await insertStaff(t.db, "growth");
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.sql`update phases set status = 'closed' where status = 'active'`;
});

async function activeSlugs(): Promise<string[]> {
  return (await t.sql<{ slug: string }[]>`select slug from phases where status = 'active'`).map((r) => r.slug);
}

describe("activation", () => {
  it("closes the previous active phase and tops every member up to the new quota, with ledger rows", async () => {
    const first = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: slug(), name: "One", kind: "closed", memberInviteQuota: 1 })).id);
    const members = [];
    for (const balance of [0, 2, 5]) {
      const r = await insertRegistration(t.db, { phone: phone(), status: "admitted" });
      const { member } = await t.db.transaction((tx) => createMember(tx, { registrationId: r.id, phase: first }));
      await t.sql`update members set invite_quota = ${balance} where id = ${member.id}`;
      await t.sql`delete from quota_ledger where member_id = ${member.id}`;
      if (balance > 0) await t.sql`insert into quota_ledger (member_id, delta, reason, actor) values (${member.id}, ${balance}, 'adjustment', 'test')`;
      members.push(member.id);
    }
    const second = await createPhase(t.db, product, { slug: slug(), name: "Two", kind: "closed", memberInviteQuota: 3 });
    await activatePhase(t.db, product, second.id);
    expect(await activeSlugs()).toEqual([second.slug]);
    const rows = await t.sql<{ id: string; quota: number; ledger: number; topups: number }[]>`
      select m.id, m.invite_quota as quota,
             (select sum(delta)::int from quota_ledger l where l.member_id = m.id) as ledger,
             (select count(*)::int from quota_ledger l where l.member_id = m.id and l.reason = 'phase_topup') as topups
      from members m where m.id in ${t.sql(members)}`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(members.map((id) => byId.get(id))).toEqual([
      { id: members[0], quota: 3, ledger: 3, topups: 1 },
      { id: members[1], quota: 3, ledger: 3, topups: 1 },
      { id: members[2], quota: 5, ledger: 5, topups: 0 },
    ]);
    const audits = await t.sql<{ action: string }[]>`select action from audit_events where target_id in (${first.id}, ${second.id}) order by id`;
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["phase.activate", "phase.close"]));
  });

  it("keeps one active phase when two activations race", async () => {
    const a = await createPhase(t.db, product, { slug: slug(), name: "A", kind: "closed" });
    const b = await createPhase(t.db, product, { slug: slug(), name: "B", kind: "closed" });
    const results = await Promise.allSettled([activatePhase(t.db, product, a.id), activatePhase(t.db, product, b.id)]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    expect(await activeSlugs()).toHaveLength(1);
  });

  it("is for product and admin only", async () => {
    const p = await createPhase(t.db, product, { slug: slug(), name: "P", kind: "closed" });
    await expect(activatePhase(t.db, growth, p.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createPhase(t.db, growth, { slug: slug(), name: "X", kind: "closed" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(closePhase(t.db, growth, p.id)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses a closed phase's edits and a second activation", async () => {
    const p = await createPhase(t.db, product, { slug: slug(), name: "P", kind: "closed" });
    await closePhase(t.db, product, p.id);
    await expect(updatePhase(t.db, product, p.id, { capacity: 5 })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(activatePhase(t.db, product, p.id)).rejects.toMatchObject({ code: "invalid_state" });
  });
});

describe("scheduler", () => {
  it("activates a scheduled phase once its start has come", async () => {
    const p = await createPhase(t.db, product, { slug: slug(), name: "Later", kind: "closed" });
    const startsAt = new Date(Date.now() + 3_600_000);
    await schedulePhase(t.db, product, p.id, { startsAt });
    expect(await activateDuePhases(t.db, new Date(startsAt.getTime() - 1000))).toBeNull();
    expect(await activeSlugs()).toEqual([]);
    const activated = await activateDuePhases(t.db, new Date(startsAt.getTime() + 1000));
    expect(activated?.id).toBe(p.id);
    expect(await activeSlugs()).toEqual([p.slug]);
    const [audit] = await t.sql<{ actor_label: string }[]>`select actor_label from audit_events where action = 'phase.activate' and target_id = ${p.id}`;
    expect(audit!.actor_label).toBe("system");
  });
});

describe("end of a phase", () => {
  it("closes the active phase once its endsAt has passed", async () => {
    const endsAt = new Date(Date.now() + 3_600_000);
    const p = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: slug(), name: "Short", kind: "closed", endsAt })).id);
    expect(await closeEndedPhases(t.db, new Date(endsAt.getTime() - 1000))).toBeNull();
    expect((await closeEndedPhases(t.db, new Date(endsAt.getTime() + 1000)))?.id).toBe(p.id);
    expect(await activeSlugs()).toEqual([]);
  });
});

describe("open phase", () => {
  async function registerAndVerify() {
    const registered = await registerPhone(t.db, { phone: `+3361${String(++seq).padStart(7, "0")}`, platform: "ios" }, { ip: null });
    return verifyRegistration(t.db, registered.registrationId, { code: await latestCode(t.db, registered.registrationId) });
  }

  it("admits at verification, without an invitation, up to its capacity", async () => {
    const open = await createPhase(t.db, product, { slug: slug(), name: "Open", kind: "open", capacity: 2, memberInviteQuota: 4 });
    await activatePhase(t.db, product, open.id);
    const first = await registerAndVerify();
    expect(first.status).toBe("admitted");
    expect(first.position).toBeNull();
    const member = await authenticateMember(t.db, first.memberToken!);
    expect(member).toMatchObject({ phaseId: open.id, inviteQuota: 4 });
    expect((await registerAndVerify()).status).toBe("admitted");
    // Capacity reached: the next person waits in the queue.
    const third = await registerAndVerify();
    expect(third.status).toBe("waiting");
    expect(third.memberToken).toBeUndefined();
  });

  it("does not admit at verification when the active phase is closed-invitation", async () => {
    await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: slug(), name: "Closed", kind: "closed" })).id);
    expect((await registerAndVerify()).status).toBe("waiting");
  });

  it("respects the daily admission cap", async () => {
    const open = await createPhase(t.db, product, { slug: slug(), name: "Open daily", kind: "open", dailyAdmissionCap: 1 });
    await activatePhase(t.db, product, open.id);
    expect((await registerAndVerify()).status).toBe("admitted");
    expect((await registerAndVerify()).status).toBe("waiting");
  });
});
