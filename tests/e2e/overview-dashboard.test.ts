// The Overview on demo-like data (the bulk seeder's status mix over six months, admissions over
// the last 30 days): KPIs match the database, both daily charts draw bars, the funnel and the
// capacity gauge render.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phases } from "../../db/schema";
import { seedRegistrations } from "../../scripts/seed/registrations";
import { insertPhase } from "../helpers/factories";
import { formatCount } from "../../components/format";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { getOverviewActivity } from "../../lib/stats/activity";
import { getOverviewCounts } from "../../lib/stats/overview";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const email = `product-overview-${randomBytes(3).toString("hex")}@gatehouse.test`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;

beforeAll(async () => {
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email, role: "product", password });
  // The e2e files share the server's database: make room for this file's active phase, opened
  // 30 days ago so the seeder spreads admissions over the whole chart window.
  await connection.db.update(phases).set({ status: "closed", closedAt: new Date() }).where(eq(phases.status, "active"));
  await insertPhase(connection.db, { name: "Overview wave", status: "active", capacity: 5_000, activatedAt: new Date(Date.now() - 30 * 86_400_000) });
  await seedRegistrations(connection.sql, { count: 6_000, vacuum: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("overview", () => {
  it("shows KPIs that match the database, daily charts with bars, the funnel and the active phase", async () => {
    const page = await newPage(browser);
    await signIn(page, email, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("kpi-waiting").waitFor();

    const counts = await getOverviewCounts(connection.db);
    const activity = await getOverviewActivity(connection.db);
    expect(counts.registrationsExact).toBe(true);
    expect(await page.getByTestId("kpi-waiting-value").textContent()).toBe(formatCount(counts.waiting));
    expect(await page.getByTestId("kpi-members-value").textContent()).toBe(formatCount(counts.members));
    expect(await page.getByTestId("kpi-verified-today-value").textContent()).toBe(formatCount(activity.verifiedToday));
    expect(await page.getByTestId("kpi-invitations-redeemed-value").textContent()).toBe(formatCount(counts.invitations.redeemed));
    expect(await page.getByTestId("kpi-invitations-expired-value").textContent()).toBe(formatCount(counts.invitations.expired));
    expect(await page.getByTestId("kpi-median-wait-value").textContent()).not.toBe("—");
    expect(await page.getByTestId("kpi-redemption-rate-value").textContent()).toMatch(/%$/);

    // recharts draws one rectangle per non-empty day; the seeder spreads sign-ups and admissions.
    const registrationsChart = page.getByTestId("chart-registrations");
    const admissionsChart = page.getByTestId("chart-admissions");
    await registrationsChart.locator(".recharts-bar-rectangle path").first().waitFor();
    await admissionsChart.locator(".recharts-bar-rectangle path").first().waitFor();
    expect(await registrationsChart.locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(20);
    expect(await admissionsChart.locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(10);
    expect(Number(await registrationsChart.getAttribute("data-total"))).toBe(activity.days.reduce((s, d) => s + d.registrations, 0));

    // A hover shows the day's figure.
    await registrationsChart.locator(".recharts-bar-rectangle path").last().hover();
    await registrationsChart.locator(".recharts-tooltip-wrapper").getByText("Registrations").waitFor();

    expect(await page.getByTestId("funnel-registered").textContent()).toBe(formatCount(counts.registrationsTotal));
    expect(await page.getByTestId("funnel-admitted").textContent()).toBe(formatCount(counts.members));
    expect(await page.getByTestId("active-phase").textContent()).toContain("Overview wave");
    expect(await page.getByTestId("active-phase-admitted").textContent()).toBe(formatCount(counts.activePhase!.admitted));
    await page.mouse.move(0, 0);
    await screenshot(page, "overview-dashboard");
    await page.context().close();
  });
});
