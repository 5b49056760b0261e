// Staff sign-in through the real page of a production build, the Overview counts against the
// database, and the role re-read: a change in the database applies on the next page load.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations, members, phases, staffUsers } from "../../db/schema";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { getOverviewCounts } from "../../lib/stats/overview";
import { formatCount } from "../../components/format";
import { insertPhase, insertRegistration } from "../helpers/factories";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let staffEmail: string;
let staffId: string;

async function seedBeta() {
  const db = connection.db;
  // The e2e files share the server's database: make room for this file's active phase.
  await db.update(phases).set({ status: "closed", closedAt: new Date() }).where(eq(phases.status, "active"));
  const phase = await insertPhase(db, { name: "Closed beta — wave 1", status: "active", capacity: 40, activatedAt: new Date() });
  for (let i = 0; i < 7; i++) await insertRegistration(db, { status: "waiting" });
  for (let i = 0; i < 3; i++) await insertRegistration(db, { status: "pending_verification" });
  await insertRegistration(db, { status: "lapsed" });
  for (let i = 0; i < 3; i++) {
    const invited = await insertRegistration(db, { status: "invited" });
    await db.insert(invitations).values({
      registrationId: invited.id,
      phaseId: phase.id,
      source: "batch",
      status: i === 0 ? "pending" : "sent",
      codeHash: randomBytes(16).toString("hex"),
      expiresAt: new Date(Date.now() + 72 * 3_600_000),
      sentAt: i === 0 ? null : new Date(),
    });
  }
  for (let i = 0; i < 2; i++) {
    const admitted = await insertRegistration(db, { status: "admitted" });
    await db.insert(invitations).values({
      registrationId: admitted.id,
      phaseId: phase.id,
      source: "batch",
      status: "redeemed",
      codeHash: randomBytes(16).toString("hex"),
      expiresAt: new Date(Date.now() + 72 * 3_600_000),
      sentAt: new Date(),
      redeemedAt: new Date(),
    });
    await db.insert(members).values({ registrationId: admitted.id, phaseId: phase.id, tokenHash: randomBytes(16).toString("hex") });
  }
}

beforeAll(async () => {
  connection = connectServerDatabase();
  staffEmail = `growth-${randomBytes(4).toString("hex")}@gatehouse.test`;
  const { user } = await createStaffUser(connection.db, null, { email: staffEmail, role: "growth", password });
  staffId = user.id;
  await seedBeta();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

async function roleShown(page: Page): Promise<string> {
  return (await page.getByTestId("staff-role").textContent())?.trim() ?? "";
}

describe("staff sign-in", () => {
  it("sends a signed-out visitor to the sign-in page", async () => {
    const page = await newPage(browser);
    await page.goto("/waitlist");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" }).isVisible()).resolves.toBe(true);
    await screenshot(page, "sign-in");
    await page.context().close();
  });

  it("shows an inline error for a wrong password and stays on the page", async () => {
    const page = await newPage(browser);
    await signIn(page, staffEmail, "not the password at all");
    const alert = page.getByTestId("form-error");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("do not match");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.getByLabel("E-mail").inputValue()).toBe(staffEmail);
    await page.context().close();
  });

  it("slows password guessing: after 10 failures from this address for an e-mail even the right password is refused for a while", async () => {
    const email = `guessed-${randomBytes(4).toString("hex")}@gatehouse.test`;
    await createStaffUser(connection.db, null, { email, role: "support", password });
    const page = await newPage(browser);
    for (let i = 0; i < 10; i++) {
      await signIn(page, email, `wrong guess number ${i}`);
      await page.getByTestId("form-error").filter({ hasText: "do not match" }).waitFor();
    }
    await signIn(page, email, password);
    await page.getByTestId("form-error").filter({ hasText: "Too many attempts" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.context().close();
  });

  it("signs in and shows Overview counts that match the database", async () => {
    const page = await newPage(browser);
    await signIn(page, staffEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("kpi-waiting").waitFor();

    const counts = await getOverviewCounts(connection.db);
    expect(counts.waiting).toBeGreaterThanOrEqual(7);
    expect(await page.getByTestId("kpi-waiting-value").textContent()).toBe(formatCount(counts.waiting));
    expect(await page.getByTestId("kpi-members-value").textContent()).toBe(formatCount(counts.members));
    expect(await page.getByTestId("kpi-invitations-live-value").textContent()).toBe(formatCount(counts.invitations.pending + counts.invitations.sent));
    for (const [status, n] of Object.entries(counts.registrations)) {
      expect(await page.getByTestId(`registrations-by-status-${status}`).textContent(), status).toBe(formatCount(n));
    }
    for (const [status, n] of Object.entries(counts.invitations)) {
      expect(await page.getByTestId(`invitations-by-status-${status}`).textContent(), status).toBe(formatCount(n));
    }
    expect(await page.getByTestId("active-phase").textContent()).toContain("Closed beta — wave 1");
    expect(counts.activePhase?.admitted).toBe(2);
    expect(await page.getByTestId("active-phase-admitted").textContent()).toBe("2");
    expect(await page.getByTestId("staff-email").textContent()).toBe(staffEmail);
    expect(await roleShown(page)).toBe("growth");
    await screenshot(page, "overview");
    await page.context().close();
  });

  it("applies a role change in the database on the next page load, without signing in again", async () => {
    const page = await newPage(browser);
    await signIn(page, staffEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    expect(await roleShown(page)).toBe("growth");
    expect(await page.getByRole("link", { name: "Staff & API tokens" }).count()).toBe(0);

    await connection.db.update(staffUsers).set({ role: "admin" }).where(eq(staffUsers.id, staffId));
    await page.reload();
    expect(await roleShown(page)).toBe("admin");
    await page.getByRole("link", { name: "Staff & API tokens" }).click();
    await page.waitForURL((url) => url.pathname === "/staff");
    await page.getByRole("heading", { name: "Staff & API tokens" }).waitFor();

    // Demoted while on an admin page: the next request for it is refused.
    await connection.db.update(staffUsers).set({ role: "support" }).where(eq(staffUsers.id, staffId));
    await page.goto("/staff");
    await page.waitForURL((url) => url.pathname === "/forbidden");
    expect(await roleShown(page)).toBe("support");
    await screenshot(page, "forbidden");

    await connection.db.update(staffUsers).set({ role: "growth" }).where(eq(staffUsers.id, staffId));
    await page.context().close();
  });

  it("signs out with the sidebar button; the console is then closed, also to a copy of the session cookie", async () => {
    const page = await newPage(browser);
    await signIn(page, staffEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    // A copy of the cookie (another tab's, or a stolen one) ends with the sign-out too.
    const copy = await newPage(browser);
    await copy.context().addCookies(await page.context().cookies());
    await copy.goto("/");
    await copy.getByTestId("staff-email").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.goto("/");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await copy.goto("/waitlist");
    await copy.waitForURL((url) => url.pathname === "/sign-in");
    await copy.context().close();
    await page.context().close();
  });

  it("refuses a staff member disabled after signing in, on the next request", async () => {
    const email = `support-${randomBytes(4).toString("hex")}@gatehouse.test`;
    const { user } = await createStaffUser(connection.db, null, { email, role: "support", password });
    const page = await newPage(browser);
    await signIn(page, email, password);
    await page.waitForURL((url) => url.pathname === "/");
    await connection.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, user.id));
    await page.goto("/waitlist");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.context().close();
  });
});
