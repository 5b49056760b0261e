// Role changes: audited, and the console can never lose its last admin.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, staffUsers } from "../../db/schema";
import { setStaffRole } from "../../lib/staff/set-staff-role";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("setStaffRole", () => {
  it("changes a role with an audit row, refuses non-admins, and never demotes the last admin", async () => {
    const admin = await insertStaff(t.db, "admin");
    const growth = await insertStaff(t.db, "growth");
    await expect(setStaffRole(t.db, growth, admin.staffId, "support")).rejects.toMatchObject({ code: "forbidden" });

    const changed = await setStaffRole(t.db, admin, growth.staffId, "support");
    expect(changed.role).toBe("support");
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, growth.staffId));
    expect(audit.map((a) => a.action)).toContain("staff.set_role");

    await expect(setStaffRole(t.db, admin, admin.staffId, "growth")).rejects.toMatchObject({ code: "invalid_state" });

    // With a second admin, two concurrent demotions: exactly one may succeed.
    const second = await insertStaff(t.db, "admin");
    const results = await Promise.allSettled([
      setStaffRole(t.db, admin, second.staffId, "growth"),
      setStaffRole(t.db, second, admin.staffId, "growth"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "invalid_state" });
    const admins = await t.db.select().from(staffUsers).where(eq(staffUsers.role, "admin"));
    expect(admins).toHaveLength(1);
  });
});
