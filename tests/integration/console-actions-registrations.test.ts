// Every server action of the registration detail page, run as every role through the same path
// the console uses (runStaffAction: staff row re-read, permission, zod parse, lib call): allowed
// roles change the registration and write an audit row; other roles are refused before anything
// changes — and the lib function refuses them too when the action's guard is bypassed.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import {
  blockRegistrationSpec,
  boostRegistrationSpec,
  clearRegistrationSpec,
  holdRegistrationSpec,
  reactivateRegistrationSpec,
  releaseSmsBudgetSpec,
  removeRegistrationSpec,
  resendInvitationSpec,
  revokeInvitationSpec,
} from "../../app/(console)/registrations/action-specs";
import { auditEvents, invitations, registrations, type Phase, type Registration, type StaffRole } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { recordPolicyDecisions } from "../../lib/policy/decisions";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertRegistration, insertStaff } from "../helpers/factories";

let db: TestDatabase;
let phase: Phase;
const staff = {} as Record<StaffRole, Actor>;
const roles: StaffRole[] = ["admin", "growth", "support", "product"];

beforeAll(async () => {
  db = await createTestDatabase();
  phase = await insertPhase(db.db, { status: "active", kind: "closed", slug: `wave-${randomBytes(3).toString("hex")}` });
  for (const role of roles) staff[role] = await insertStaff(db.db, role);
});

afterAll(async () => {
  await db?.drop();
});

async function withLiveInvitation(): Promise<Registration> {
  const registration = await insertRegistration(db.db, { status: "invited" });
  await db.db.insert(invitations).values({
    registrationId: registration.id,
    phaseId: phase.id,
    source: "staff",
    codeHash: randomBytes(16).toString("hex"),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return registration;
}

interface Case {
  name: string;
  spec: StaffActionSpec<any, unknown>;
  allowed: StaffRole[];
  setup: () => Promise<Registration>;
  input: (r: Registration) => Record<string, unknown>;
  audit: string;
  check: (after: Registration) => void;
}

const manage: StaffRole[] = ["admin", "growth", "support"];
const cases: Case[] = [
  {
    name: "remove",
    spec: removeRegistrationSpec,
    allowed: manage,
    setup: () => insertRegistration(db.db),
    input: (r) => ({ registrationId: r.id, reason: "duplicate account" }),
    audit: "registration.remove",
    check: (r) => expect(r.status).toBe("removed"),
  },
  {
    name: "block",
    spec: blockRegistrationSpec,
    allowed: manage,
    setup: () => insertRegistration(db.db),
    input: (r) => ({ registrationId: r.id, reason: "sms pumping" }),
    audit: "registration.block",
    check: (r) => expect(r.status).toBe("blocked"),
  },
  {
    name: "hold",
    spec: holdRegistrationSpec,
    allowed: manage,
    setup: () => insertRegistration(db.db),
    input: (r) => ({ registrationId: r.id, reason: "" }),
    audit: "registration.hold",
    check: (r) => expect(r.review).toBe("hold"),
  },
  {
    name: "clear",
    spec: clearRegistrationSpec,
    allowed: manage,
    setup: () => insertRegistration(db.db, { review: "hold" }),
    input: (r) => ({ registrationId: r.id }),
    audit: "registration.clear",
    check: (r) => expect(r.review).toBe("clear"),
  },
  {
    name: "boost",
    spec: boostRegistrationSpec,
    allowed: ["admin", "growth"],
    setup: () => insertRegistration(db.db),
    // Forms send strings: the action coerces.
    input: (r) => ({ registrationId: r.id, points: "5", reason: "launch partner", category: "partner" }),
    audit: "registration.boost",
    check: (r) => expect(r.priority).toBe(5),
  },
  {
    name: "resend invitation",
    spec: resendInvitationSpec,
    allowed: manage,
    setup: withLiveInvitation,
    input: (r) => ({ registrationId: r.id }),
    audit: "invitation.resend",
    check: (r) => expect(r.status).toBe("invited"),
  },
  {
    name: "revoke invitation",
    spec: revokeInvitationSpec,
    allowed: manage,
    setup: withLiveInvitation,
    input: (r) => ({ registrationId: r.id, reason: "sent to the wrong person" }),
    audit: "invitation.revoke",
    check: (r) => expect(r.status).toBe("waiting"),
  },
  {
    name: "reactivate expired",
    spec: reactivateRegistrationSpec,
    allowed: manage,
    setup: () => insertRegistration(db.db, { status: "expired" }),
    input: (r) => ({ registrationId: r.id }),
    audit: "registration.reactivate",
    check: (r) => expect(r.status).toBe("waiting"),
  },
  {
    name: "reactivate removed",
    spec: reactivateRegistrationSpec,
    allowed: manage,
    setup: () => insertRegistration(db.db, { status: "removed", statusReason: "by mistake" }),
    input: (r) => ({ registrationId: r.id, reason: "removed by mistake" }),
    audit: "registration.reactivate",
    check: (r) => expect(r.status).toBe("waiting"),
  },
  {
    name: "send a code withheld for an SMS budget",
    spec: releaseSmsBudgetSpec,
    allowed: manage,
    setup: async () => {
      const registration = await insertRegistration(db.db, { status: "pending_verification" });
      await recordPolicyDecisions(db.db, [{ registrationId: registration.id, kind: "sms_budget", reasons: ["sms_budget_prefix"] }]);
      return registration;
    },
    input: (r) => ({ registrationId: r.id }),
    audit: "registration.release_sms_budget",
    check: (r) => expect(r.verificationCodeHash).not.toBeNull(),
  },
];

async function reload(id: string): Promise<Registration> {
  const [row] = await db.db.select().from(registrations).where(eq(registrations.id, id));
  return row!;
}

async function auditCount(id: string, action: string): Promise<number> {
  const rows = await db.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, id), eq(auditEvents.action, action)));
  return rows.length;
}

describe.each(cases)("$name", (c) => {
  it.each(roles)("as %s", async (role) => {
    const registration = await c.setup();
    const before = await reload(registration.id);
    const result = await runStaffAction({
      db: db.db,
      staffId: staff[role].staffId,
      permission: c.spec.permission,
      schema: c.spec.schema,
      rawInput: c.input(registration),
      fn: c.spec.run,
    });
    const after = await reload(registration.id);
    if (c.allowed.includes(role)) {
      expect(result).toMatchObject({ ok: true });
      c.check(after);
      expect(await auditCount(registration.id, c.audit)).toBe(1);
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      expect(after).toEqual(before);
      expect(await auditCount(registration.id, c.audit)).toBe(0);
      // A forged call that skips the action's guard is refused by the lib function itself.
      const parsed = c.spec.schema.parse(c.input(registration));
      await expect(c.spec.run(parsed, staff[role], db.db)).rejects.toMatchObject({ code: "forbidden" });
      expect(await reload(registration.id)).toEqual(before);
    }
  });
});

describe("validation", () => {
  it("asks for a reason before removing or blocking", async () => {
    const registration = await insertRegistration(db.db);
    for (const spec of [removeRegistrationSpec, blockRegistrationSpec]) {
      const result = await runStaffAction({ db: db.db, staffId: staff.support.staffId, permission: spec.permission, schema: spec.schema, rawInput: { registrationId: registration.id, reason: "x" }, fn: spec.run });
      expect(result).toMatchObject({ ok: false, code: "validation", fieldErrors: { reason: "give a reason (at least 3 characters)" } });
      // An empty field reaches the action as a missing one.
      const empty = new FormData();
      empty.set("registrationId", registration.id);
      empty.set("reason", "");
      const missing = await runStaffAction({ db: db.db, staffId: staff.support.staffId, permission: spec.permission, schema: spec.schema, rawInput: empty, fn: spec.run });
      expect(missing).toMatchObject({ ok: false, code: "validation", fieldErrors: { reason: "give a reason (at least 3 characters)" } });
    }
    expect((await reload(registration.id)).status).toBe("waiting");
  });

  it("refuses a legacy_account boost with an error on the category field", async () => {
    const registration = await insertRegistration(db.db);
    const result = await runStaffAction({
      db: db.db,
      staffId: staff.growth.staffId,
      permission: boostRegistrationSpec.permission,
      schema: boostRegistrationSpec.schema,
      rawInput: { registrationId: registration.id, points: "10", reason: "had an old account", category: "legacy_account" },
      fn: boostRegistrationSpec.run,
    });
    expect(result).toMatchObject({ ok: false, code: "validation", fieldErrors: { category: expect.any(String) } });
    expect((await reload(registration.id)).priority).toBe(0);
  });

  it("answers invalid_state for an action the status does not allow", async () => {
    const registration = await insertRegistration(db.db, { status: "admitted" });
    const result = await runStaffAction({
      db: db.db,
      staffId: staff.admin.staffId,
      permission: blockRegistrationSpec.permission,
      schema: blockRegistrationSpec.schema,
      rawInput: { registrationId: registration.id, reason: "cannot block members" },
      fn: blockRegistrationSpec.run,
    });
    expect(result).toMatchObject({ ok: false, code: "invalid_state" });
  });
});
