// Redemption: code AND phone, once; wrong phone, wrong code, expired, reused, 20 at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Phase } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { AppError } from "../../lib/errors";
import { formatInvitationCode, hashInvitationCode } from "../../lib/invitations/code";
import { issueInvitation } from "../../lib/invitations/issue";
import { redeemInvitation } from "../../lib/invitations/redeem";
import { resendInvitation } from "../../lib/invitations/resend-invitation";
import { authenticateMember } from "../../lib/members/member-auth";
import { getMemberSummary } from "../../lib/members/get-member-summary";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { openNotificationCode } from "../../lib/notifications/code-secret";

let t: TestDatabase;
let phase: Phase;
let support: Actor;

beforeAll(async () => {
  t = await createTestDatabase();
  const product = await insertStaff(t.db, "product");
  support = await insertStaff(t.db, "support");
  phase = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "wave-1", name: "Wave 1", kind: "closed", memberInviteQuota: 3 })).id);
});
afterAll(async () => {
  await t.drop();
});

async function invited(phone?: string) {
  const registration = await insertRegistration(t.db, phone ? { phone } : {});
  const { invitation, code } = await t.db.transaction((tx) => issueInvitation(tx, { registration, phase, source: "staff" }));
  return { registration, invitation, code };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the redemption to be refused");
}

describe("redeemInvitation", () => {
  it("admits with the right code and phone, in any typing of the code, and creates the member with the phase quota", async () => {
    const { registration, code } = await invited();
    const typed = formatInvitationCode(code).toLowerCase().replaceAll("-", " ");
    const result = await redeemInvitation(t.db, { code: typed, phone: registration.phone! });
    expect(result).toMatchObject({ phase: { slug: "wave-1" }, inviteQuota: 3 });
    expect(result.memberToken).toMatch(/^ghm_[A-Za-z0-9_-]{43}$/);
    const member = await authenticateMember(t.db, result.memberToken);
    expect(member?.id).toBe(result.memberId);
    const [row] = await t.sql<{ status: string; inv: string; token_hash: string; ledger: number }[]>`
      select r.status, i.status as inv, m.token_hash, (select sum(delta)::int from quota_ledger l where l.member_id = m.id) as ledger
      from registrations r join invitations i on i.registration_id = r.id join members m on m.registration_id = r.id
      where r.id = ${registration.id}`;
    expect(row).toMatchObject({ status: "admitted", inv: "redeemed", ledger: 3 });
    expect(row!.token_hash).not.toContain(result.memberToken);
    const summary = await getMemberSummary(t.db, result.memberId);
    expect(summary).toMatchObject({ memberId: result.memberId, inviteQuota: 3, invitations: [] });
  });

  it("stores only the hash of the code", async () => {
    const { invitation, code } = await invited();
    expect(invitation.codeHash).toBe(hashInvitationCode(code));
    const found = await t.sql`select 1 from invitations where code_hash like ${"%" + code + "%"}`;
    expect(found).toHaveLength(0);
    // The message keeps the code sealed, never in clear, until it is sent.
    const [note] = await t.sql<{ secret: string }[]>`select secret from notifications where invitation_id = ${invitation.id}`;
    expect(note!.secret).not.toContain(code.slice(0, 4));
    expect(openNotificationCode(note!.secret)).toBe(formatInvitationCode(code));
  });

  it("refuses the right code with another phone, and a wrong code, with the same answer", async () => {
    const { registration, code } = await invited();
    const other = await insertRegistration(t.db);
    const wrongPhone = await failure(redeemInvitation(t.db, { code, phone: other.phone! }));
    const wrongCode = await failure(redeemInvitation(t.db, { code: "0000-0000-0000-0000", phone: registration.phone! }));
    const garbage = await failure(redeemInvitation(t.db, { code: "not a code", phone: registration.phone! }));
    for (const e of [wrongPhone, wrongCode, garbage]) {
      expect(e.code).toBe("not_found");
      expect(e.message).toBe(wrongPhone.message);
    }
    // Still redeemable by its owner afterwards.
    await expect(redeemInvitation(t.db, { code, phone: registration.phone! })).resolves.toHaveProperty("memberId");
  });

  it("accepts the phone in national form for the invitee's country", async () => {
    const { registration, code } = await invited("+33612345678");
    expect(registration.phone).toBe("+33612345678");
    const national = "06 12 34 56 78";
    await expect(redeemInvitation(t.db, { code, phone: national })).resolves.toHaveProperty("memberId");
  });

  it("refuses an expired invitation", async () => {
    const { registration, invitation, code } = await invited();
    const later = new Date(invitation.expiresAt.getTime() + 1000);
    const e = await failure(redeemInvitation(t.db, { code, phone: registration.phone! }, later));
    expect(e.code).toBe("invalid_state");
    expect(e.message).toMatch(/expired/);
  });

  it("is single-use", async () => {
    const { registration, code } = await invited();
    await redeemInvitation(t.db, { code, phone: registration.phone! });
    const e = await failure(redeemInvitation(t.db, { code, phone: registration.phone! }));
    expect(e.code).toBe("invalid_state");
    expect(e.message).toMatch(/already been used/);
  });

  it("voids the old code when support resends", async () => {
    const { registration, code } = await invited();
    await resendInvitation(t.db, support, registration.id);
    const e = await failure(redeemInvitation(t.db, { code, phone: registration.phone! }));
    expect(e.message).toMatch(/replaced/);
    const [row] = await t.sql<{ secret: string }[]>`
      select n.secret from notifications n join invitations i on i.id = n.invitation_id
      where i.registration_id = ${registration.id} and i.status = 'pending'`;
    await expect(redeemInvitation(t.db, { code: openNotificationCode(row!.secret)!, phone: registration.phone! })).resolves.toHaveProperty("memberId");
  });

  it("creates exactly one member when the same code is redeemed 20 times at once", async () => {
    const { registration, code } = await invited();
    const phone = registration.phone!.replace(/^\+33(\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, "+33 $1 $2 $3 $4 $5");
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => redeemInvitation(t.db, { code, phone })));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect((r.reason as AppError).code).toBe("invalid_state");
    const [{ n }] = (await t.sql`select count(*)::int as n from members where registration_id = ${registration.id}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });
});
