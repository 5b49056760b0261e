// Admin changes a registration-policy setting on the Policy page: inline validation first, then a
// saved change that is in the database and the audit log; the decisions log filters by reason.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, policySettings } from "../../db/schema";
import { recordPolicyDecisions } from "../../lib/policy/decisions";
import { getPolicySettings } from "../../lib/policy/get-policy-settings";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { insertRegistration } from "../helpers/factories";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let adminEmail: string;
let adminId: string;
let originalCap: number;

beforeAll(async () => {
  connection = connectServerDatabase();
  adminEmail = `admin-${tag}@gatehouse.test`;
  const { user } = await createStaffUser(connection.db, null, { email: adminEmail, role: "admin", password });
  adminId = user.id;
  originalCap = (await getPolicySettings(connection.db)).referralBoostCap;
  const registration = await insertRegistration(connection.db, { status: "pending_verification" });
  await recordPolicyDecisions(connection.db, [
    { registrationId: registration.id, kind: "screening", outcome: "reject", reasons: ["blocked_prefix"], details: { prefix: "+88213" } },
    { registrationId: registration.id, kind: "legacy_claim_ignored", details: { legacyAccountId: `old-${tag}` } },
  ]);
  browser = await launchBrowser();
});

afterAll(async () => {
  // The e2e files share one database: leave the policy as we found it.
  await connection?.db.update(policySettings).set({ referralBoostCap: originalCap }).where(eq(policySettings.id, 1));
  await browser?.close();
  await connection?.close();
});

describe("admin edits the policy", () => {
  it("shows inline errors, then saves a new referral cap (audited)", async () => {
    const page = await newPage(browser);
    await signIn(page, adminEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Policy" }).click();
    await page.waitForURL((url) => url.pathname === "/policy");

    const cap = page.getByLabel("Referral points cap");
    const boost = page.getByLabel("Points per verified referral");
    // A boost above its cap is refused on the boost field.
    await boost.fill("50");
    await cap.fill("20");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText("must be at most the cap (20)").waitFor();
    expect(await boost.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "policy-validation");

    await boost.fill("1");
    await cap.fill(String(originalCap + 7));
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText("Policy saved.").first().waitFor();
    expect((await getPolicySettings(connection.db)).referralBoostCap).toBe(originalCap + 7);
    const audits = await connection.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "policy.update"), eq(auditEvents.actorId, adminId)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toMatchObject({ referralBoostCap: originalCap + 7 });

    await page.reload();
    expect(await page.getByLabel("Referral points cap").inputValue()).toBe(String(originalCap + 7));

    // The decisions log, filtered by a reason code in the URL.
    await page.getByRole("combobox", { name: "Reason" }).selectOption("blocked_prefix");
    await page.waitForURL((url) => url.searchParams.get("reason") === "blocked_prefix");
    // The page has other tables (SMS spending): the decisions log is its own region.
    const log = page.getByRole("region", { name: "Decisions log" });
    await log.locator("tbody tr[data-row-id]").first().waitFor();
    expect(await log.locator("tbody").textContent()).toContain("blocked_prefix");
    await screenshot(page, "policy-admin");
    await page.context().close();
  });
});
