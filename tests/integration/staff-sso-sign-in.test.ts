// Single sign-on's matching rule (SPEC §3.8) against a real database: a verified e-mail lets in
// the existing, enabled staff member with that address (any case) and nobody else; nobody is
// created; every attempt is audited with the request id. The browser test
// (tests/e2e/sso-sign-in.test.ts) runs the same through a real OpenID provider.
import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, staffUsers } from "../../db/schema";
import { signInWithSsoIdentity, type SsoIdentity } from "../../lib/staff/sso-sign-in";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";

let testDb: TestDatabase;
const issuer = "https://sso.example.test";

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

function identity(email: unknown, ...verified: [unknown?]): SsoIdentity & { requestId: string } {
  // identity(email) is verified; identity(email, undefined) carries no email_verified claim.
  const emailVerified = verified.length === 0 ? true : verified[0];
  return { issuer, subject: `sub-${randomUUID()}`, email, emailVerified, requestId: randomUUID() };
}

async function auditFor(requestId: string) {
  return testDb.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
}

async function staffCount(): Promise<number> {
  const [row] = await testDb.db.select({ n: count() }).from(staffUsers);
  return row!.n;
}

describe("signInWithSsoIdentity", () => {
  it("lets in the enabled staff member with a verified e-mail, whatever its case, and audits it", async () => {
    const member = await insertStaff(testDb.db, "support", `Support-${randomUUID().slice(0, 8)}@Example.test`);
    const attempt = identity(member.email.toUpperCase());
    const result = await signInWithSsoIdentity(testDb.db, attempt);
    expect(result).toMatchObject({ ok: true, staff: { id: member.staffId, role: "support" } });
    if (!result.ok) return;
    expect(result.staff.lastSignInAt).toBeInstanceOf(Date);

    const [audit] = await auditFor(attempt.requestId);
    expect(audit).toMatchObject({
      action: "staff.sso_sign_in",
      actorId: member.staffId,
      actorLabel: member.email,
      targetType: "staff",
      targetId: member.staffId,
      after: { role: "support", issuer, subject: attempt.subject },
    });
  });

  it("accepts email_verified sent as the string \"true\"", async () => {
    const member = await insertStaff(testDb.db, "product");
    await expect(signInWithSsoIdentity(testDb.db, identity(member.email, "true"))).resolves.toMatchObject({ ok: true });
  });

  it("refuses an unknown e-mail and creates nobody", async () => {
    const before = await staffCount();
    const attempt = identity(`nobody-${randomUUID().slice(0, 8)}@example.test`);
    await expect(signInWithSsoIdentity(testDb.db, attempt)).resolves.toEqual({ ok: false, reason: "unknown_staff" });
    expect(await staffCount()).toBe(before);
    const [audit] = await auditFor(attempt.requestId);
    expect(audit).toMatchObject({
      action: "staff.sso_sign_in_refused",
      actorId: null,
      actorLabel: "system",
      targetId: null,
      after: { email: attempt.email, reason: "unknown_staff", issuer },
    });
  });

  it("refuses a disabled member", async () => {
    const member = await insertStaff(testDb.db, "admin");
    await testDb.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, member.staffId));
    const attempt = identity(member.email);
    await expect(signInWithSsoIdentity(testDb.db, attempt)).resolves.toEqual({ ok: false, reason: "staff_disabled" });
    const [row] = await testDb.db.select().from(staffUsers).where(eq(staffUsers.id, member.staffId));
    expect(row!.lastSignInAt).toBeNull();
    const [audit] = await auditFor(attempt.requestId);
    expect(audit).toMatchObject({ action: "staff.sso_sign_in_refused", targetId: member.staffId, after: { reason: "staff_disabled" } });
  });

  it.each([
    ["false", false],
    ["missing", undefined],
    ["a non-boolean", "yes"],
  ])("refuses a known member whose e-mail the provider has not verified (%s)", async (_label, verified) => {
    const member = await insertStaff(testDb.db, "growth");
    const attempt = identity(member.email, verified);
    await expect(signInWithSsoIdentity(testDb.db, attempt)).resolves.toEqual({ ok: false, reason: "email_unverified" });
    expect(await auditFor(attempt.requestId)).toMatchObject([{ action: "staff.sso_sign_in_refused", after: { reason: "email_unverified" } }]);
  });

  it("refuses an identity without an e-mail", async () => {
    await expect(signInWithSsoIdentity(testDb.db, identity(undefined))).resolves.toEqual({ ok: false, reason: "email_unverified" });
    await expect(signInWithSsoIdentity(testDb.db, identity(42))).resolves.toEqual({ ok: false, reason: "email_unverified" });
  });
});
