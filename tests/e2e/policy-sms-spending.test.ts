// The Policy page's SMS spending (SPEC §3.2 rule 7) in a browser: the budget settings edited and
// validated inline (audited), the held prefixes with their reason and an admin release, and 24
// hours of codes sent vs verified as a chart and per-country / per-prefix tables; on the
// registration page, support sends a code that a budget withheld.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, policySettings, smsPrefixHolds, smsSendStats } from "../../db/schema";
import { recordPolicyDecisions } from "../../lib/policy/decisions";
import { getPolicySettings } from "../../lib/policy/get-policy-settings";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";
import { connectServerDatabase } from "../helpers/database";
import { insertRegistration } from "../helpers/factories";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
// Prefixes of this run only (the e2e files share one database).
const digits = String(parseInt(tag, 16) % 100_000).padStart(5, "0");
const heldPrefix = `+88216${digits}`;
const pumpedPrefix = `+88213${digits}`;
const honestPrefix = `+44771${digits}`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let adminEmail: string;
let adminId: string;
let supportEmail: string;
let originalPrefixBudget: number;

beforeAll(async () => {
  connection = connectServerDatabase();
  adminEmail = `admin-sms-${tag}@gatehouse.test`;
  supportEmail = `support-sms-${tag}@gatehouse.test`;
  adminId = (await createStaffUser(connection.db, null, { email: adminEmail, role: "admin", password })).user.id;
  await createStaffUser(connection.db, null, { email: supportEmail, role: "support", password });
  originalPrefixBudget = (await getPolicySettings(connection.db)).smsBudgetPrefixPerHour;

  // 24 hours of statistics as the SMS statistics job leaves them: a pumped prefix (codes nobody
  // verifies) and an honest one.
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const rows = [];
  for (let h = 0; h < 24; h += 3) {
    const bucket = new Date(hour - h * 3_600_000);
    rows.push({ bucket, country: "GB", prefix: honestPrefix, sends: 40 + h, verifications: 30 + h });
    if (h < 6) rows.push({ bucket, country: "XK", prefix: pumpedPrefix, sends: 120, verifications: 2 });
  }
  await connection.db.insert(smsSendStats).values(rows);
  await connection.db.insert(smsPrefixHolds).values({
    prefix: heldPrefix,
    country: "XK",
    status: "held",
    reason: "1 of 90 codes verified (1.1 %) in the last hour; the policy holds a prefix under 10 % once it has 50 codes",
    sends: 90,
    verified: 1,
    heldAt: new Date(Date.now() - 20 * 60_000),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await connection?.db.update(policySettings).set({ smsBudgetPrefixPerHour: originalPrefixBudget }).where(eq(policySettings.id, 1));
  await browser?.close();
  await connection?.close();
});

describe("SMS spending on the Policy page", () => {
  it("shows budgets, holds and 24 hours of sends vs verifications; an admin edits a budget and releases a prefix", async () => {
    const page = await newPage(browser);
    await signIn(page, adminEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/policy");

    await page.getByRole("heading", { name: "SMS spending" }).waitFor();
    // The chart carries every hour's codes; the tables the pumped prefix's collapse.
    const chart = page.getByTestId("sms-conversion-chart");
    expect(Number(await chart.getAttribute("data-sends"))).toBeGreaterThan(0);
    await chart.locator(".recharts-bar-rectangle").first().waitFor();
    const pumpedRow = page.locator("tr", { hasText: pumpedPrefix });
    await expect.poll(() => pumpedRow.textContent()).toContain("1.7%");
    expect(await page.locator("tr", { hasText: honestPrefix }).textContent()).toContain("GB");
    // Held prefixes, with the reason.
    const heldRow = page.locator("tr", { hasText: heldPrefix });
    expect(await heldRow.textContent()).toContain("1 of 90 codes verified");
    await page.getByTestId("budget-Global").waitFor();

    // A budget of 0 is refused on its field; 250 is saved and audited.
    const prefixBudget = page.getByLabel("Per prefix per hour");
    await prefixBudget.fill("0");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText("at least 1").first().waitFor();
    expect(await prefixBudget.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "policy-sms-validation");
    await prefixBudget.fill("250");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText("Policy saved.").first().waitFor();
    expect((await getPolicySettings(connection.db)).smsBudgetPrefixPerHour).toBe(250);
    const audits = await connection.db.select().from(auditEvents).where(and(eq(auditEvents.action, "policy.update"), eq(auditEvents.actorId, adminId)));
    expect(audits.some((a) => (a.after as Record<string, unknown>).smsBudgetPrefixPerHour === 250)).toBe(true);

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "policy-sms-spending");

    // Release the held prefix.
    await heldRow.getByRole("button", { name: "Release" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Release prefix" }).click();
    await page.getByText(`${heldPrefix} released.`).first().waitFor();
    const [hold] = await connection.db.select().from(smsPrefixHolds).where(eq(smsPrefixHolds.prefix, heldPrefix));
    expect(hold).toMatchObject({ status: "released", releasedBy: adminId });
    await expect.poll(() => page.locator("tr", { hasText: heldPrefix }).textContent()).toContain("Released");
    await page.context().close();
  });

  it("support sends a code an SMS budget withheld, from the registration page", async () => {
    const registration = await insertRegistration(connection.db, { status: "pending_verification", queuedAt: null, verifiedAt: null });
    await recordPolicyDecisions(connection.db, [
      { registrationId: registration.id, kind: "sms_budget", reasons: ["sms_budget_prefix"], details: { country: "FR" } },
    ]);
    const page = await newPage(browser);
    await signIn(page, supportEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto(`/registrations/${registration.id}`);
    await page.getByText("No code sent: SMS budget").first().waitFor();
    await page.getByRole("button", { name: "Send withheld code" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Send code" }).click();
    await page.getByText("Verification code sent.").first().waitFor();
    const sent = await connection.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.registrationId, registration.id), eq(notifications.kind, "verification_code")));
    expect(sent).toHaveLength(1);
    await expect.poll(() => page.getByRole("button", { name: "Send withheld code" }).count()).toBe(0);
    await screenshot(page, "registration-sms-budget-released");
    await page.context().close();
  });
});
