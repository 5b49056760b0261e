// Journeys around one phase: product edits a draft (inline errors first, nothing typed lost; the
// allow-list edited without ever seeing a number), the edit is saved and audited; an active
// phase's form keeps its fixed settings; the phase page's figures match the database, and growth
// reads it without an edit action.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, phaseAllowedPhones, phases, type Phase } from "../../db/schema";
import { formatCount, formatPercent } from "../../components/format";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { getPhaseReport } from "../../lib/stats/phase-report";
import { connectServerDatabase } from "../helpers/database";
import { insertInvitation, insertMember, insertPhase, uniqueMobile } from "../helpers/factories";
import { launchBrowser, screenshot, signedInPage } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
const productEmail = `product-phase-${tag}@gatehouse.test`;
const growthEmail = `growth-phase-${tag}@gatehouse.test`;
const DAY = 86_400_000;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let draft: Phase;
let ran: Phase;
const employees = [uniqueMobile(), uniqueMobile()].sort();

beforeAll(async () => {
  connection = connectServerDatabase();
  const { db } = connection;
  await createStaffUser(db, null, { email: productEmail, role: "product", password });
  await createStaffUser(db, null, { email: growthEmail, role: "growth", password });
  draft = await insertPhase(db, { name: `Staff ${tag}`, slug: `staff-${tag}`, kind: "internal" });
  await db.insert(phaseAllowedPhones).values(employees.map((phone) => ({ phaseId: draft.id, phone })));
  // A phase that ran for five days and closed: admissions on four of them, invitations in every state.
  const now = Date.now();
  ran = await insertPhase(db, {
    name: `Ran ${tag}`,
    slug: `ran-${tag}`,
    status: "closed",
    activatedAt: new Date(now - 5 * DAY),
    closedAt: new Date(now - 3_600_000),
    capacity: 40,
    dailyAdmissionCap: 10,
    memberInviteQuota: 2,
  });
  for (const [daysAgo, n] of [[5, 2], [4, 3], [2, 1], [1, 4]] as const) {
    for (let i = 0; i < n; i++) await insertMember(db, ran, { admittedAt: new Date(now - daysAgo * DAY) });
  }
  await insertInvitation(db, { phaseId: ran.id, status: "expired", createdAt: new Date(now - 4 * DAY) });
  await insertInvitation(db, { phaseId: ran.id, status: "expired", createdAt: new Date(now - 3 * DAY) });
  await insertInvitation(db, { phaseId: ran.id, status: "revoked", createdAt: new Date(now - 2 * DAY) });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("editing a phase", () => {
  it("product edits a draft: inline errors, the allow-list by masked entry and typed number, saved and audited", async () => {
    const page = await signedInPage(browser, productEmail, password);
    await page.goto(`/phases/${draft.id}`);
    await page.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL((url) => url.pathname === `/phases/${draft.id}/edit`);

    // Product sees the employees masked, never the numbers.
    const entries = page.getByTestId("allow-list-entries");
    await entries.waitFor();
    expect(await entries.locator("li").count()).toBe(2);
    const body = (await page.locator("main").textContent()) ?? "";
    for (const phone of employees) expect(body).not.toContain(phone);

    await page.getByLabel("Name").fill(`Staff dogfood ${tag}`);
    await page.getByLabel("Capacity (members)").fill("-5");
    await page.getByLabel("Countries").fill("France");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("must be at least 0").waitFor();
    await page.getByText("use two-letter country codes, e.g. FR, DE").waitFor();
    expect(await page.getByTestId("form-error").textContent()).toContain("Check the highlighted fields");
    expect(await page.getByLabel("Name").inputValue()).toBe(`Staff dogfood ${tag}`); // nothing typed is lost
    await screenshot(page, "phase-edit-errors");

    const added = uniqueMobile();
    await page.getByLabel("Capacity (members)").fill("150");
    await page.getByLabel("Countries").fill("fr, be");
    await entries.locator("input[type=checkbox]").first().check();
    await page.getByLabel("Add phones").fill(added);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === `/phases/${draft.id}`);
    await page.getByText("Changes saved").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Staff dogfood ${tag}`);
    expect(await page.getByTestId("phase-settings").textContent()).toContain("150 members");

    const [saved] = await connection.db.select().from(phases).where(eq(phases.id, draft.id));
    expect(saved).toMatchObject({ name: `Staff dogfood ${tag}`, capacity: 150, countries: ["FR", "BE"], kind: "internal", status: "draft" });
    const list = await connection.db.select({ phone: phaseAllowedPhones.phone }).from(phaseAllowedPhones).where(eq(phaseAllowedPhones.phaseId, draft.id));
    expect(list.map((r) => r.phone).sort()).toEqual([employees[1], added].sort());
    const audit = await connection.db
      .select({ before: auditEvents.before, after: auditEvents.after, actor: auditEvents.actorLabel })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "phase.update"), eq(auditEvents.targetId, draft.id)));
    expect(audit).toEqual([
      {
        actor: productEmail,
        before: { name: `Staff ${tag}`, capacity: null, countries: null },
        after: { name: `Staff dogfood ${tag}`, capacity: 150, countries: ["FR", "BE"], allowList: { added: 1, removed: 1, total: 2 } },
      },
    ]);
    await page.mouse.move(0, 0);
    await screenshot(page, "phase-page-internal");
    await page.context().close();
  });

  it("an active phase's form keeps its slug, kind, start and invites per member", async () => {
    await connection.db.update(phases).set({ status: "closed", closedAt: new Date() }).where(eq(phases.status, "active"));
    const active = await insertPhase(connection.db, { name: `Live ${tag}`, status: "active", activatedAt: new Date(), startsAt: new Date(), capacity: 10 });
    const page = await signedInPage(browser, productEmail, password);
    await page.goto(`/phases/${active.id}/edit`);
    for (const label of ["Slug", "Kind", "Starts at (UTC)", "Invites per member"]) expect(await page.getByLabel(label).isDisabled(), label).toBe(true);
    await page.getByLabel("Capacity (members)").fill("25");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === `/phases/${active.id}`);
    const [saved] = await connection.db.select().from(phases).where(eq(phases.id, active.id));
    expect(saved).toMatchObject({ capacity: 25, status: "active", slug: active.slug });
    await page.context().close();
  });
});

describe("the phase page", () => {
  it("shows admissions over time, capacity, invitations, redemption and quotas as the database has them", async () => {
    const page = await signedInPage(browser, productEmail, password);
    await page.goto("/phases");
    await page.getByRole("link", { name: ran.name }).click();
    await page.waitForURL((url) => url.pathname === `/phases/${ran.id}`);
    const report = await getPhaseReport(connection.db, ran);

    expect(await page.getByTestId("phase-admitted-value").textContent()).toBe(formatCount(report.admitted));
    expect(report.admitted).toBe(10);
    expect(await page.getByTestId("phase-capacity-meter").textContent()).toContain(`${formatCount(report.capacityUsed)} of 40`);
    expect(await page.getByTestId("phase-redemption-value").textContent()).toBe(formatPercent(report.redemptionRate!));
    expect(await page.getByTestId("phase-invitations-redeemed").textContent()).toBe("10");
    expect(await page.getByTestId("phase-invitations-expired").textContent()).toBe("2");
    expect(await page.getByTestId("quota-topup").textContent()).toBe("+20");
    expect(await page.getByTestId("quota-balance").textContent()).toBe("20");

    // One bar per day with admissions, over the phase's six days.
    const chart = page.getByTestId("phase-admissions-chart");
    await chart.locator(".recharts-bar-rectangle path").first().waitFor();
    expect(await chart.locator(".recharts-bar-rectangle path").count()).toBe(4);
    expect(Number(await chart.getAttribute("data-days"))).toBe(report.days.length);
    expect(Number(await chart.getAttribute("data-total"))).toBe(10);
    // A closed phase offers no change.
    expect(await page.getByRole("link", { name: "Edit" }).count()).toBe(0);
    await page.mouse.move(0, 0);
    await screenshot(page, "phase-page");
    await page.context().close();
  });

  it("growth reads a phase page without edit actions, and cannot open the edit form", async () => {
    const page = await signedInPage(browser, growthEmail, password);
    await page.goto(`/phases/${draft.id}`);
    await page.getByTestId("phase-settings").waitFor();
    expect(await page.getByRole("link", { name: "Edit" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Activate" }).count()).toBe(0);
    // Growth sees full phones, so the allow-list is listed in full.
    expect(await page.getByTestId("allow-list").textContent()).toContain(employees[1]!);
    await page.goto(`/phases/${draft.id}/edit`);
    await page.waitForURL((url) => url.pathname === "/forbidden");
    await page.context().close();
  });
});
