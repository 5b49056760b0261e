// Quota invariants under concurrency: never overspent, balance = Σ ledger, invitations = units used.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Phase } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { AppError } from "../../lib/errors";
import { createMember } from "../../lib/members/create-member";
import { inviteFriend } from "../../lib/members/invite-friend";
import { listMembers } from "../../lib/members/list-members";
import { listQuotaLedger } from "../../lib/members/list-quota-ledger";
import { grantQuota } from "../../lib/members/grant-quota";
import { revokeInvitation } from "../../lib/invitations/revoke-invitation";
import { activatePhase } from "../../lib/phases/activate-phase";
import { blockRegistration } from "../../lib/registrations/block-registration";
import { createPhase } from "../../lib/phases/create-phase";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";

let t: TestDatabase;
let phase: Phase;
let growth: Actor;
let support: Actor;
let phoneSeq = 0;
/** Always-valid French mobiles (+33 61…), unique within this file. */
const nextPhone = () => `+3361${String(++phoneSeq).padStart(7, "0")}`;

beforeAll(async () => {
  t = await createTestDatabase();
  const product = await insertStaff(t.db, "product");
  growth = await insertStaff(t.db, "growth");
  support = await insertStaff(t.db, "support");
  phase = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "wave", name: "Wave", kind: "closed", memberInviteQuota: 0 })).id);
});
afterAll(async () => {
  await t.drop();
});

async function newMember(quota: number) {
  const registration = await insertRegistration(t.db, { status: "admitted", phone: nextPhone() });
  const { member } = await t.db.transaction((tx) => createMember(tx, { registrationId: registration.id, phase }));
  if (quota > 0) await grantQuota(t.db, growth, { memberId: member.id, amount: quota });
  return member;
}

async function ledgerState(memberId: string) {
  const [row] = await t.sql<{ balance: number; ledger: number; sent: number; spent: number }[]>`
    select m.invite_quota as balance,
           (select coalesce(sum(delta), 0)::int from quota_ledger where member_id = m.id) as ledger,
           (select count(*)::int from invitations where inviter_member_id = m.id) as sent,
           (select coalesce(-sum(delta), 0)::int from quota_ledger where member_id = m.id and reason = 'invite_sent') as spent
    from members m where m.id = ${memberId}`;
  return row!;
}

describe("member invites", () => {
  it("creates an unknown phone directly as invited, lifts a waiting one, and refuses when the balance is 0", async () => {
    const member = await newMember(2);
    const unknown = nextPhone();
    const first = await inviteFriend(t.db, member.id, { phone: unknown });
    expect(first.inviteQuota).toBe(1);
    const waiting = await insertRegistration(t.db, { phone: nextPhone() });
    const second = await inviteFriend(t.db, member.id, { phone: waiting.phone!.replace("+33", "0"), country: "FR" });
    expect(second.inviteQuota).toBe(0);
    const rows = await t.sql<{ phone: string; status: string; referred_by: string | null }[]>`
      select phone, status, referred_by from registrations where phone in (${unknown}, ${waiting.phone!}) order by phone`;
    expect(rows.map((r) => r.status)).toEqual(["invited", "invited"]);
    try {
      await inviteFriend(t.db, member.id, { phone: nextPhone() });
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe("quota_exhausted");
    }
    expect(await ledgerState(member.id)).toEqual({ balance: 0, ledger: 0, sent: 2, spent: 2 });
  });

  it("refuses to invite someone already invited or admitted, without spending", async () => {
    const member = await newMember(3);
    const phone = nextPhone();
    await inviteFriend(t.db, member.id, { phone });
    await expect(inviteFriend(t.db, member.id, { phone })).rejects.toMatchObject({ code: "conflict" });
    expect(await ledgerState(member.id)).toMatchObject({ balance: 2, ledger: 2, sent: 1 });
  });

  it("gives the member the unit back when staff block or revoke the invitation they sent (ledger invite_refund)", async () => {
    const member = await newMember(2);
    const blocked = await inviteFriend(t.db, member.id, { phone: nextPhone() });
    const revoked = await inviteFriend(t.db, member.id, { phone: nextPhone() });
    expect(await ledgerState(member.id)).toMatchObject({ balance: 0, ledger: 0 });

    const [invited] = await t.sql<{ registration_id: string }[]>`select registration_id from invitations where id = ${blocked.invitationId}`;
    await blockRegistration(t.db, support, invited!.registration_id, { reason: "abusive sign-ups" });
    expect(await ledgerState(member.id)).toMatchObject({ balance: 1, ledger: 1 });
    const [otherInvited] = await t.sql<{ registration_id: string }[]>`select registration_id from invitations where id = ${revoked.invitationId}`;
    await revokeInvitation(t.db, support, otherInvited!.registration_id, "sent to the wrong number");
    expect(await ledgerState(member.id)).toMatchObject({ balance: 2, ledger: 2 });

    const refunds = await t.sql<{ invitation_id: string; delta: number; actor: string }[]>`
      select invitation_id, delta, actor from quota_ledger where member_id = ${member.id} and reason = 'invite_refund' order by created_at, id`;
    expect(refunds).toEqual([
      { invitation_id: blocked.invitationId, delta: 1, actor: `staff:${support.staffId}` },
      { invitation_id: revoked.invitationId, delta: 1, actor: `staff:${support.staffId}` },
    ]);
    const statuses = await t.sql<{ status: string }[]>`select status from invitations where id in (${blocked.invitationId}, ${revoked.invitationId}) order by status`;
    expect(statuses.map((r) => r.status)).toEqual(["revoked", "revoked"]);
  });

  it("lists members and their ledger for staff, phones as the role may see them", async () => {
    const member = await newMember(2);
    const product = await insertStaff(t.db, "product");
    const page = await listMembers(t.db, product, { phase: phase.id, limit: 200 });
    const row = page.rows.find((m) => m.id === member.id)!;
    expect(row).toMatchObject({ inviteQuota: 2, phaseName: "Wave", phone: expect.stringContaining("•") });
    const ledger = await listQuotaLedger(t.db, support, member.id);
    expect(ledger.rows).toEqual([expect.objectContaining({ delta: 2, reason: "grant", actor: `staff:${growth.staffId}` })]);
    expect(ledger.nextCursor).toBeNull();
  });

  it("pages a long ledger newest first, forwards and back, without OFFSET", async () => {
    const member = await newMember(0);
    for (let i = 1; i <= 12; i++) await grantQuota(t.db, growth, { memberId: member.id, amount: i });
    const deltas = (page: { rows: { delta: number }[] }) => page.rows.map((r) => r.delta);

    const first = await listQuotaLedger(t.db, support, member.id, { limit: 5 });
    expect(deltas(first)).toEqual([12, 11, 10, 9, 8]);
    expect(first.previousCursor).toBeNull();
    const second = await listQuotaLedger(t.db, support, member.id, { limit: 5, after: first.nextCursor! });
    expect(deltas(second)).toEqual([7, 6, 5, 4, 3]);
    const last = await listQuotaLedger(t.db, support, member.id, { limit: 5, after: second.nextCursor! });
    expect(deltas(last)).toEqual([2, 1]);
    expect(last.nextCursor).toBeNull();
    const back = await listQuotaLedger(t.db, support, member.id, { limit: 5, before: last.previousCursor! });
    expect(deltas(back)).toEqual([7, 6, 5, 4, 3]);
    const backToStart = await listQuotaLedger(t.db, support, member.id, { limit: 5, before: back.previousCursor! });
    expect(deltas(backToStart)).toEqual([12, 11, 10, 9, 8]);
    expect(backToStart.previousCursor).toBeNull();
  });

  it("refuses grants from support (growth only)", async () => {
    const member = await newMember(0);
    await expect(grantQuota(t.db, support, { memberId: member.id, amount: 1 })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("never overspends under 200 concurrent invites and grants", async () => {
    const member = await newMember(50);
    const invites = Array.from({ length: 170 }, () => inviteFriend(t.db, member.id, { phone: nextPhone() }));
    const grants = Array.from({ length: 30 }, () => grantQuota(t.db, growth, { memberId: member.id, amount: 1 }));
    const results = await Promise.allSettled([...invites, ...grants]);
    const inviteResults = results.slice(0, 170);
    const succeeded = inviteResults.filter((r) => r.status === "fulfilled").length;
    for (const r of inviteResults) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("quota_exhausted");
    expect(results.slice(170).every((r) => r.status === "fulfilled")).toBe(true);
    const state = await ledgerState(member.id);
    // 50 + 30 units in total: every unit spent at most once, every spend an invitation.
    expect(succeeded).toBeLessThanOrEqual(80);
    expect(succeeded).toBeGreaterThanOrEqual(50);
    expect(state).toEqual({ balance: 80 - succeeded, ledger: 80 - succeeded, sent: succeeded, spent: succeeded });
  });

  it("keeps the invariants for any starting balance and mix of concurrent operations (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 6 }), async (start, invites, grants) => {
        const member = await newMember(start);
        const ops = [
          ...Array.from({ length: invites }, () => inviteFriend(t.db, member.id, { phone: nextPhone() })),
          ...Array.from({ length: grants }, () => grantQuota(t.db, growth, { memberId: member.id, amount: 1 })),
        ];
        const results = await Promise.allSettled(ops);
        const ok = results.slice(0, invites).filter((r) => r.status === "fulfilled").length;
        const state = await ledgerState(member.id);
        expect(state.balance).toBeGreaterThanOrEqual(0);
        expect(state.balance).toBe(state.ledger);
        expect(state.sent).toBe(ok);
        expect(state.spent).toBe(ok);
        expect(state.balance).toBe(start + grants - ok);
        // Grants may land after the last invite, but the starting units are always spendable.
        expect(ok).toBeLessThanOrEqual(Math.min(invites, start + grants));
        expect(ok).toBeGreaterThanOrEqual(Math.min(invites, start));
      }),
      { numRuns: 15 },
    );
  });
});
