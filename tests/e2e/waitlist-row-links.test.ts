// Rows that lead somewhere are links: a waitlist row's phone is a real <a href> to the
// registration, so support can open a queue of tickets in tabs (ctrl/cmd-click, middle-click),
// while a plain click anywhere on the row still opens it here.
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { connectServerDatabase } from "../helpers/database";
import { insertRegistration } from "../helpers/factories";
import { launchBrowser, screenshot, signedInPage } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let page: Page;
const people: { id: string; phone: string }[] = [];

beforeAll(async () => {
  connection = connectServerDatabase();
  const email = `support-links-${tag}@gatehouse.test`;
  await createStaffUser(connection.db, null, { email, role: "support", password });
  for (let i = 0; i < 3; i++) {
    const row = await insertRegistration(connection.db, { email: `ticket-${i}-${tag}@example.com` });
    people.push({ id: row.id, phone: row.phone! });
  }
  browser = await launchBrowser();
  page = await signedInPage(browser, email, password);
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

const row = (id: string) => page.locator(`tbody tr[data-row-id="${id}"]`);

/** Runs `open` and returns the tab it opened, once it has loaded the registration page. */
async function newTabFrom(open: () => Promise<void>): Promise<Page> {
  const [tab] = await Promise.all([page.context().waitForEvent("page"), open()]);
  await tab.waitForURL((url) => url.pathname.startsWith("/registrations/"));
  await tab.getByRole("heading", { level: 1 }).waitFor();
  return tab;
}

describe("a waitlist row", () => {
  it("is a real link: its phone points at the registration and says so to a screen reader", async () => {
    await page.goto("/waitlist");
    const first = page.locator("tbody tr[data-row-id]").first().getByRole("link");
    await first.hover();
    await screenshot(page, "waitlist-table-links");

    await page.goto(`/waitlist?q=${encodeURIComponent(`ticket-0-${tag}@example.com`)}`);
    const link = row(people[0]!.id).getByRole("link");
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe(`/registrations/${people[0]!.id}`);
    expect(await link.textContent()).toContain(people[0]!.phone);
  });

  it("opens in a new tab with ctrl-click and with a middle-click, leaving the list where it is", async () => {
    const link = row(people[0]!.id).getByRole("link");
    const byCtrl = await newTabFrom(() => link.click({ modifiers: ["ControlOrMeta"] }));
    expect(new URL(byCtrl.url()).pathname).toBe(`/registrations/${people[0]!.id}`);
    await byCtrl.getByText(people[0]!.phone).first().waitFor();

    const byMiddle = await newTabFrom(() => link.click({ button: "middle" }));
    expect(new URL(byMiddle.url()).pathname).toBe(`/registrations/${people[0]!.id}`);

    // A middle-click elsewhere on the row opens the same page in a new tab too.
    const fromStatus = await newTabFrom(() => row(people[0]!.id).locator("td").nth(2).click({ button: "middle" }));
    expect(new URL(fromStatus.url()).pathname).toBe(`/registrations/${people[0]!.id}`);

    expect(new URL(page.url()).pathname).toBe("/waitlist");
    await Promise.all([byCtrl.close(), byMiddle.close(), fromStatus.close()]);
  });

  it("still opens here on a plain click anywhere on the row, and with Enter on its link", async () => {
    await row(people[0]!.id).locator("td").nth(4).click();
    await page.waitForURL((url) => url.pathname === `/registrations/${people[0]!.id}`);

    await page.goto(`/waitlist?q=${encodeURIComponent(`ticket-1-${tag}@example.com`)}`);
    await row(people[1]!.id).getByRole("link").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === `/registrations/${people[1]!.id}`);
  });
});
