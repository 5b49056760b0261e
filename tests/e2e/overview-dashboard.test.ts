// The Overview on demo-like data (the bulk seeder's status mix over six months, admissions over
// the last 30 days): KPIs match the database, both daily charts draw bars, the funnel and the
// capacity gauge render.
import { randomBytes } from "node:crypto";
import { asc, desc, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phases, registrations } from "../../db/schema";
import { seedRegistrations } from "../../scripts/seed/registrations";
import { insertPhase } from "../helpers/factories";
import { formatCount } from "../../components/format";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { getOverviewActivity } from "../../lib/stats/activity";
import { getOverviewCounts } from "../../lib/stats/overview";
import { DAY_MS, estimateAdmissionAt, forecastQueue } from "../../lib/stats/admission-forecast";
import { readForecastBasis } from "../../lib/stats/forecast-basis";
import { positionOf } from "../../lib/registrations/position";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signedInPage, signIn } from "../helpers/browser";

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

  it("forecasts the queue at the last 7 days' pace, labelled an estimate; the registration page shows the same estimate", async () => {
    const page = await signedInPage(browser, email, password);
    const card = page.getByTestId("forecast");
    await card.getByTestId("forecast-chart").locator(".recharts-line-curve").waitFor();
    expect(await card.textContent()).toContain("Estimate");

    // The same figures as the lib computes from the same database, a moment later.
    const basis = await readForecastBasis(connection.db);
    const forecast = forecastQueue(basis);
    expect(forecast.pace.noBasis).toBeNull();
    const shown = await card.getByTestId("forecast-milestones").locator("li[data-position]").evaluateAll((items) => items.map((li) => Number(li.getAttribute("data-position"))));
    expect(shown).toEqual(forecast.milestones.map((m) => m.position));
    for (const milestone of forecast.milestones) {
      const text = (await card.getByTestId(`forecast-at-${milestone.position}`).textContent()) ?? "";
      if (milestone.estimate.at) {
        // "≈ 3 Dec 2026": the page computed it moments earlier, so allow the day to roll over.
        const day = Date.parse(`${text.replace("≈", "").trim()} UTC`);
        expect(Math.abs(day - milestone.estimate.at.getTime()), text).toBeLessThan(DAY_MS * 1.01);
      } else {
        expect(text).toMatch(/capacity|ends|no pace|active/);
      }
    }
    expect(Math.abs(Number(await card.getByTestId("forecast-chart").getAttribute("data-points")) - forecast.points.length)).toBeLessThanOrEqual(1);
    await card.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await screenshot(page, "overview-forecast");

    // A waiting person's page carries the estimate /me gives the app.
    const [waiting] = await connection.db
      .select()
      .from(registrations)
      .where(eq(registrations.status, "waiting"))
      .orderBy(desc(registrations.priority), asc(registrations.queuedAt), asc(registrations.id))
      .offset(999)
      .limit(1);
    const estimate = estimateAdmissionAt(basis, { ...waiting!, position: await positionOf(connection.db, waiting!.id) });
    await page.goto(`/registrations/${waiting!.id}`);
    await page.getByTestId("admission-estimate").waitFor();
    if (estimate?.at) {
      const text = (await page.getByTestId("admission-estimate-date").textContent()) ?? "";
      expect(Math.abs(Date.parse(`${text.replace("≈", "").trim()} UTC`) - estimate.at.getTime())).toBeLessThan(DAY_MS * 1.01);
    } else {
      await page.getByTestId("admission-estimate-none").waitFor();
    }
    await screenshot(page, "registration-estimate");
    await page.context().close();
  });

  it("says there is no forecast, and why, when no phase is active", async () => {
    await connection.db.update(phases).set({ status: "closed", closedAt: new Date() }).where(eq(phases.status, "active"));
    const page = await signedInPage(browser, email, password);
    const none = page.getByTestId("forecast-no-basis");
    await none.waitFor();
    expect(await none.textContent()).toContain("No phase is active");
    expect(await page.getByTestId("forecast-chart").count()).toBe(0);
    await page.context().close();
  });
});
