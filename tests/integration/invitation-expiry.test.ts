// The expiry sweep: both placements, staff-kept expiries, quota refunds, staff reactivation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Phase, Registration } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { expireAllDueInvitations, expireInvitations } from "../../lib/invitations/expire";
import { issueInvitation } from "../../lib/invitations/issue";
import { reactivateRegistration } from "../../lib/registrations/reactivate-registration";
import { createMember } from "../../lib/members/create-member";
import { inviteFriend } from "../../lib/members/invite-friend";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";

let t: TestDatabase;
let product: Actor;
let support: Actor;
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  product = await insertStaff(t.db, "product");
  support = await insertStaff(t.db, "support");
});
afterAll(async () => {
  await t.drop();
});

async function phaseWith(settings: { expiredPlacement: "original" | "back"; autoReactivateExpired: boolean }): Promise<Phase> {
  const phase = await createPhase(t.db, product, { slug: `wave-${++seq}`, name: "Wave", kind: "closed", memberInviteQuota: 2, ...settings });
  return activatePhase(t.db, product, phase.id);
}

/** Exact 1-based position by a plain count (the oracle; the registration module serves it fast). */
async function position(id: string): Promise<number | null> {
  const [row] = await t.sql<{ position: number | null }[]>`
    select case when me.status = 'waiting' then (
      select count(*)::int from registrations r where r.status = 'waiting'
        and (r.priority > me.priority or (r.priority = me.priority and (r.queued_at < me.queued_at or (r.queued_at = me.queued_at and r.id <= me.id))))
    ) end as position
    from registrations me where me.id = ${id}`;
  return row!.position;
}

async function line(n: number): Promise<Registration[]> {
  const base = Date.parse("2026-03-01T00:00:00Z") + seq * 10_000_000;
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(await insertRegistration(t.db, { queuedAt: new Date(base + i * 60_000) }));
  return rows;
}

beforeEach(async () => {
  await t.sql`delete from notifications`;
  await t.sql`delete from quota_ledger`;
  await t.sql`delete from members`;
  await t.sql`delete from invitations`;
  await t.sql`delete from registrations`;
});

async function inviteNow(phase: Phase, registration: Registration) {
  return t.db.transaction((tx) => issueInvitation(tx, { registration, phase, source: "batch" }));
}

describe("expiry sweep", () => {
  it("`original`: the person returns to the very position they left", async () => {
    const phase = await phaseWith({ expiredPlacement: "original", autoReactivateExpired: true });
    const rows = await line(5);
    const before = await position(rows[2]!.id);
    expect(before).toBe(3);
    const { invitation } = await inviteNow(phase, rows[2]!);
    expect(await position(rows[3]!.id)).toBe(3);
    // Not yet due: nothing happens.
    expect(await expireInvitations(t.db, { now: new Date(invitation.expiresAt.getTime() - 1000) })).toMatchObject({ expired: 0 });
    const result = await expireInvitations(t.db, { now: new Date(invitation.expiresAt.getTime() + 1000) });
    expect(result).toEqual({ expired: 1, requeued: 1, keptExpired: 0, refunded: 0 });
    expect(await position(rows[2]!.id)).toBe(before);
    const [inv] = await t.sql<{ status: string }[]>`select status from invitations where id = ${invitation.id}`;
    expect(inv!.status).toBe("expired");
  });

  it("`back`: the person is queued again at the end", async () => {
    const phase = await phaseWith({ expiredPlacement: "back", autoReactivateExpired: true });
    const rows = await line(5);
    const { invitation } = await inviteNow(phase, rows[0]!);
    const later = new Date(Math.max(invitation.expiresAt.getTime() + 1000, Date.now()));
    await expireInvitations(t.db, { now: later });
    expect(await position(rows[0]!.id)).toBe(5);
    const [row] = await t.sql<{ queued_at: Date }[]>`select queued_at from registrations where id = ${rows[0]!.id}`;
    expect(new Date(row!.queued_at).getTime()).toBe(later.getTime());
  });

  it("without auto-reactivation the registration stays expired until staff reactivate it", async () => {
    const phase = await phaseWith({ expiredPlacement: "original", autoReactivateExpired: false });
    const rows = await line(3);
    const { invitation } = await inviteNow(phase, rows[1]!);
    const result = await expireInvitations(t.db, { now: new Date(invitation.expiresAt.getTime() + 1) });
    expect(result).toMatchObject({ expired: 1, requeued: 0, keptExpired: 1 });
    expect(await position(rows[1]!.id)).toBeNull();
    await reactivateRegistration(t.db, support, rows[1]!.id);
    expect(await position(rows[1]!.id)).toBe(2);
    const [audit] = await t.sql<{ action: string }[]>`select action from audit_events where target_id = ${rows[1]!.id}`;
    expect(audit!.action).toBe("registration.reactivate");
  });

  it("refunds the inviting member's unit, with a ledger row", async () => {
    const phase = await phaseWith({ expiredPlacement: "original", autoReactivateExpired: true });
    const [host] = await line(1);
    await t.sql`update registrations set status = 'admitted' where id = ${host!.id}`;
    const { member } = await t.db.transaction((tx) => createMember(tx, { registrationId: host!.id, phase }));
    const sent = await inviteFriend(t.db, member.id, { phone: "+33612340001" });
    expect(sent.inviteQuota).toBe(1);
    const result = await expireAllDueInvitations(t.db, new Date(sent.expiresAt.getTime() + 1));
    expect(result).toMatchObject({ expired: 1, refunded: 1 });
    const [row] = await t.sql<{ quota: number; ledger: number; reasons: string[] }[]>`
      select m.invite_quota as quota, sum(l.delta)::int as ledger, array_agg(l.reason::text order by l.id) as reasons
      from members m join quota_ledger l on l.member_id = m.id where m.id = ${member.id} group by m.invite_quota`;
    expect(row).toEqual({ quota: 2, ledger: 2, reasons: ["phase_topup", "invite_sent", "invite_refund"] });
  });

  it("sweeps in bounded chunks until nothing is due", async () => {
    const phase = await phaseWith({ expiredPlacement: "original", autoReactivateExpired: true });
    const rows = await line(7);
    let last = new Date();
    for (const r of rows) last = (await inviteNow(phase, r)).invitation.expiresAt;
    const first = await expireInvitations(t.db, { now: new Date(last.getTime() + 1), limit: 3 });
    expect(first.expired).toBe(3);
    const rest = await expireAllDueInvitations(t.db, new Date(last.getTime() + 1));
    expect(rest.expired).toBe(4);
    const [{ n }] = (await t.sql`select count(*)::int as n from registrations where status = 'waiting'`) as unknown as [{ n: number }];
    expect(n).toBe(7);
  });
});
