// Journey: product creates a phase (with an inline validation error first), schedules it,
// activates it and closes it; growth sees the phases but is offered no phase action.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phases } from "../../db/schema";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, screenshot, signedInPage } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
const productEmail = `product-${tag}@gatehouse.test`;
const growthEmail = `growth-${tag}@gatehouse.test`;

beforeAll(async () => {
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email: productEmail, role: "product", password });
  await createStaffUser(connection.db, null, { email: growthEmail, role: "growth", password });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

function phaseRow(page: Page, name: string) {
  return page.locator("tbody tr", { hasText: name });
}

async function statusOf(slug: string) {
  const [row] = await connection.db.select().from(phases).where(eq(phases.slug, slug));
  return row?.status;
}

describe("phases journey", () => {
  it("product creates, schedules, activates and closes a phase", async () => {
    const page = await signedInPage(browser, productEmail, password);
    await page.getByRole("link", { name: "Phases" }).click();
    await page.getByRole("link", { name: "New phase" }).click();
    await page.waitForURL((url) => url.pathname === "/phases/new");

    const name = `Wave ${tag}`;
    const slug = `wave-${tag}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Slug").fill("Not A Slug");
    await page.getByLabel("Capacity (members)").fill("2500");
    await page.getByLabel("Invites per member").fill("3");
    await page.getByRole("button", { name: "Create phase" }).click();
    await page.getByText("lowercase letters, digits and single dashes").waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe(name); // nothing typed is lost
    await screenshot(page, "phase-form-error");

    await page.getByLabel("Slug").fill(slug);
    await page.getByRole("button", { name: "Create phase" }).click();
    await page.waitForURL((url) => url.pathname === "/phases");
    await phaseRow(page, name).getByText("draft").waitFor();
    expect(await statusOf(slug)).toBe("draft");

    await phaseRow(page, name).getByRole("button", { name: "Schedule" }).click();
    const scheduleDialog = page.getByRole("dialog", { name: `Schedule “${name}”` });
    await scheduleDialog.getByLabel("Starts at (UTC)").fill("2031-03-01T09:00");
    await scheduleDialog.getByRole("button", { name: "Schedule" }).click();
    await phaseRow(page, name).getByText("scheduled", { exact: true }).waitFor();
    expect(await statusOf(slug)).toBe("scheduled");
    expect(await phaseRow(page, name).textContent()).toContain("1 Mar 2031, 09:00 UTC");

    await phaseRow(page, name).getByRole("button", { name: "Activate" }).click();
    await page.getByRole("dialog", { name: `Activate “${name}” now?` }).getByRole("button", { name: "Activate now" }).click();
    await phaseRow(page, name).getByText("active", { exact: true }).waitFor();
    expect(await statusOf(slug)).toBe("active");
    await screenshot(page, "phases");

    await phaseRow(page, name).getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog", { name: `Close “${name}”?` }).getByRole("button", { name: "Close phase" }).click();
    await phaseRow(page, name).getByText("closed", { exact: true }).waitFor();
    expect(await statusOf(slug)).toBe("closed");
    await page.context().close();
  });

  it("growth sees the phases but is offered no phase action, and cannot open the form", async () => {
    const page = await signedInPage(browser, growthEmail, password);
    await page.goto("/phases");
    await page.locator("tbody tr").first().waitFor();
    expect(await page.getByRole("link", { name: "New phase" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Activate" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Close" }).count()).toBe(0);
    await page.goto("/phases/new");
    await page.waitForURL((url) => url.pathname === "/forbidden");
    await page.context().close();
  });
});
