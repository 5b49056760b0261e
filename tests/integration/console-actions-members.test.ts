// The Members page's grant action as every role (runStaffAction, the console's path): growth and
// admin add invites (ledger row + audit, balance = ledger sum); support and product are refused,
// in the action and in the lib. Also the members list and ledger reads.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStaffAction } from "../../app/_server/action-spec";
import { grantQuotaSpec } from "../../app/(console)/members/action-specs";
import { auditEvents, members, type Phase, type StaffRole } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { getMemberWithLedger, listMembers } from "../../lib/members/list-members";
import { createMember } from "../../lib/members/create-member";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertRegistration, insertStaff } from "../helpers/factories";

let db: TestDatabase;
let phase: Phase;
const staff = {} as Record<StaffRole, Actor>;
const roles: StaffRole[] = ["admin", "growth", "support", "product"];

async function newMember(): Promise<string> {
  const registration = await insertRegistration(db.db, { status: "admitted" });
  const { member } = await createMember(db.db, { registrationId: registration.id, phase });
  return member.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  phase = await insertPhase(db.db, { memberInviteQuota: 3 });
  for (const role of roles) staff[role] = await insertStaff(db.db, role);
});

afterAll(async () => {
  await db?.drop();
});

describe("grant quota", () => {
  it.each(roles)("as %s", async (role) => {
    const memberId = await newMember();
    const result = await runStaffAction({
      db: db.db,
      staffId: staff[role].staffId,
      permission: grantQuotaSpec.permission,
      schema: grantQuotaSpec.schema,
      rawInput: { memberId, amount: "2" },
      fn: grantQuotaSpec.run,
    });
    const [after] = await db.db.select().from(members).where(eq(members.id, memberId));
    const audits = await db.db.select().from(auditEvents).where(eq(auditEvents.targetId, memberId));
    if (role === "admin" || role === "growth") {
      expect(result).toEqual({ ok: true, data: { inviteQuota: 5 } });
      expect(after!.inviteQuota).toBe(5);
      expect(audits.map((a) => a.action)).toEqual(["member.grant_quota"]);
      const detail = await getMemberWithLedger(db.db, staff.product, memberId);
      expect(detail.ledgerTotal).toBe(5);
      expect(detail.ledger.rows.map((l) => [l.reason, l.delta])).toEqual([
        ["grant", 2],
        ["phase_topup", 3],
      ]);
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      await expect(grantQuotaSpec.run({ memberId, amount: 2 }, staff[role], db.db)).rejects.toMatchObject({ code: "forbidden" });
      expect(after!.inviteQuota).toBe(3);
      expect(audits).toEqual([]);
    }
  });

  it("validates the amount inline", async () => {
    const memberId = await newMember();
    const result = await runStaffAction({ db: db.db, staffId: staff.growth.staffId, permission: grantQuotaSpec.permission, schema: grantQuotaSpec.schema, rawInput: { memberId, amount: "0" }, fn: grantQuotaSpec.run });
    expect(result).toMatchObject({ ok: false, code: "validation", fieldErrors: { amount: "must be at least 1" } });
  });
});

describe("members list", () => {
  it("pages newest admission first with masked phones for product", async () => {
    for (let i = 0; i < 5; i++) await newMember();
    const all: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listMembers(db.db, staff.product, { limit: 3, after });
      all.push(...page.rows.map((r) => r.id));
      expect(page.rows.every((r) => r.phone?.includes("•"))).toBe(true);
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    const count = await db.db.$count(members);
    expect(all.length).toBe(count);
    expect(new Set(all).size).toBe(count);
  });
});
