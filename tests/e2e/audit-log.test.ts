// The audit log page on the generic data table: rows from the database, a filter kept in the
// URL, keyset pages forwards and back, a row link to the target's history.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../lib/audit/record-audit";
import type { Actor } from "../../lib/auth/roles";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let product: Actor;
const tag = randomBytes(3).toString("hex");

beforeAll(async () => {
  connection = connectServerDatabase();
  const { user } = await createStaffUser(connection.db, null, { email: `product-${tag}@gatehouse.test`, role: "product", password });
  product = { staffId: user.id, email: user.email, role: user.role, via: { kind: "session" }, requestId: `req-${tag}` };
  // 60 phase edits by this staff member (more than one 50-row page) and one policy change.
  for (let i = 0; i < 60; i++) {
    await recordAudit(connection.db, {
      actor: product,
      action: `phase.update_${tag}`,
      targetType: "phase",
      targetId: `phase-${tag}-${i % 3}`,
      before: { capacity: 1000 + i },
      after: { capacity: 1001 + i },
    });
  }
  await recordAudit(connection.db, { actor: null, action: "policy.update", targetType: "policy", targetId: "default", after: { retentionDays: 30 } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("audit log page", () => {
  it("lists events, filters by actor in the URL, pages with keyset cursors and links rows to their target", async () => {
    const page = await newPage(browser);
    await signIn(page, product.email, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL((url) => url.pathname === "/audit");
    await page.locator("tbody tr[data-row-id]").first().waitFor();
    expect(await page.locator("tbody tr[data-row-id]").count()).toBe(50);
    expect(await page.getByText("policy.update").count()).toBeGreaterThan(0);
    await screenshot(page, "audit-log");

    // Filter by actor: typed, applied with Enter, kept in the URL. 61 events: the 60 edits and
    // this member's sign-in (staff.sign_in).
    await page.getByRole("textbox", { name: "Actor" }).fill(product.email);
    await page.getByRole("textbox", { name: "Actor" }).press("Enter");
    await page.waitForURL((url) => url.searchParams.get("actor") === product.email);
    await page.getByTestId("table-summary").filter({ hasText: "61 events" }).waitFor();
    const firstPage = await page.locator("tbody tr[data-row-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row-id")));
    expect(firstPage).toHaveLength(50);

    await page.getByRole("link", { name: "Next" }).click();
    await page.waitForURL((url) => url.searchParams.has("after"));
    await page.locator("tbody tr[data-row-id]").nth(10).waitFor();
    const secondPage = await page.locator("tbody tr[data-row-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row-id")));
    expect(secondPage).toHaveLength(11);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(await page.locator('span[aria-label="Next"][aria-disabled]').count()).toBe(1);

    await page.getByRole("link", { name: "Previous" }).click();
    await page.waitForURL((url) => url.searchParams.has("before"));
    await page.locator("tbody tr[data-row-id]").nth(49).waitFor();
    const backAgain = await page.locator("tbody tr[data-row-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row-id")));
    expect(backAgain).toEqual(firstPage);

    // Oldest first flips the order.
    await page.getByRole("button", { name: "When" }).click();
    await page.waitForURL((url) => url.searchParams.get("dir") === "asc");
    await page.locator("th[aria-sort=ascending]").waitFor();

    // A row opens the history of its target.
    await page.locator("tbody tr[data-row-id]").first().click();
    await page.waitForURL((url) => url.searchParams.get("targetId")?.startsWith(`phase-${tag}-`) ?? false);
    await page.getByTestId("table-summary").filter({ hasText: "20 events" }).waitFor();
    await screenshot(page, "audit-log-filtered");
    await page.context().close();
  });

  it("shows a plain empty state when nothing matches", async () => {
    const page = await newPage(browser);
    await signIn(page, product.email, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto(`/audit?actor=nobody-${tag}@nowhere.test`);
    await page.getByText("No events match these filters").waitFor();
    await page.context().close();
  });
});
