// Staff account security in the browser against the production build: enrolling a TOTP second
// factor on the Account page (QR, key, confirm, recovery codes shown once), signing in with a code
// and with a recovery code, an admin's password reset followed by the forced change at the next
// sign-in, and a required second factor sending a member to set one up first.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { generate } from "otplib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffSecuritySettings } from "../../db/schema";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn, signedInPage } from "../helpers/browser";

const password = "correct horse battery staple";
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;

async function newStaff(role: "admin" | "support") {
  const email = `${role}-${randomBytes(4).toString("hex")}@gatehouse.test`;
  const { user } = await createStaffUser(connection.db, null, { email, role, password });
  return user;
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/sign-in");
}

/** Enrols on the Account page; answers the key and the recovery codes shown. */
async function enrol(page: Page, shotName?: string): Promise<{ secret: string; codes: string[] }> {
  await page.getByRole("button", { name: "Set up a second factor" }).click();
  await page.getByTestId("totp-qr").waitFor();
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  if (shotName) await screenshot(page, `${shotName}-qr`);
  await page.getByLabel("Code from the app").fill("000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.locator("#code-error").waitFor();
  await page.getByLabel("Code from the app").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.getByTestId("recovery-codes").waitFor();
  const codes = await page.getByTestId("recovery-code").allTextContents();
  if (shotName) await screenshot(page, `${shotName}-recovery-codes`);
  return { secret, codes: codes.map((c) => c.trim()) };
}

beforeAll(async () => {
  connection = connectServerDatabase();
  browser = await launchBrowser();
});

afterAll(async () => {
  // The e2e files share the server's database: leave the console-wide setting as it was.
  await connection?.db.delete(staffSecuritySettings).where(eq(staffSecuritySettings.id, 1));
  await browser?.close();
  await connection?.close();
});

describe("second factor", () => {
  it("enrols on the Account page, then signs in with a code from the app and with a recovery code (once)", async () => {
    const staff = await newStaff("support");
    const page = await signedInPage(browser, staff.email, password);
    await page.getByRole("link", { name: "Account" }).click();
    await page.getByRole("heading", { name: "Account" }).waitFor();
    expect(await page.getByTestId("two-factor-status").textContent()).toContain("Off");
    await screenshot(page, "account-page");
    const { secret, codes } = await enrol(page, "account-two-factor");
    expect(codes).toHaveLength(10);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect.poll(async () => page.getByTestId("two-factor-status").textContent()).toContain("On since");
    expect(await page.getByTestId("recovery-codes-left").textContent()).toBe("10");
    await screenshot(page, "account-two-factor-on");
    await signOut(page);

    // Password first, then the code: the next step's code (the enrolment used the current one).
    await signIn(page, staff.email, password);
    await page.getByLabel("Authentication code").waitFor();
    await screenshot(page, "sign-in-second-factor");
    await page.getByLabel("Authentication code").fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.locator("#secondFactor-error").waitFor();
    await page.getByLabel("Authentication code").fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    expect(await page.getByTestId("staff-email").textContent()).toBe(staff.email);
    await signOut(page);

    // A recovery code instead of the app; it works once.
    await signIn(page, staff.email, password);
    await page.getByLabel("Authentication code").fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/account");
    expect(await page.getByTestId("recovery-codes-left").textContent()).toBe("9");
    await signOut(page);
    await signIn(page, staff.email, password);
    await page.getByLabel("Authentication code").fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.locator("#secondFactor-error").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.context().close();
  });

  it("when an admin requires a second factor, a member without one must set one up before anything else", async () => {
    const admin = await newStaff("admin");
    const member = await newStaff("support");
    const adminPage = await signedInPage(browser, admin.email, password);
    await adminPage.goto("/staff");
    await adminPage.getByRole("button", { name: "Require for everyone" }).click();
    await adminPage.getByRole("button", { name: "Require it" }).click();
    // Refused until the admin has one.
    await adminPage.getByTestId("dialog-error").filter({ hasText: "your own second factor" }).waitFor();
    await adminPage.getByRole("button", { name: "Cancel" }).click();
    await adminPage.goto("/account");
    await enrol(adminPage);
    await adminPage.getByRole("button", { name: "I have saved them" }).click();
    await adminPage.goto("/staff");
    await adminPage.getByRole("button", { name: "Require for everyone" }).click();
    await adminPage.getByRole("button", { name: "Require it" }).click();
    await expect.poll(async () => adminPage.getByTestId("require-two-factor").textContent()).toContain("Every member must have a second factor");
    await screenshot(adminPage, "staff-require-two-factor");

    const page = await newPage(browser);
    await signIn(page, member.email, password);
    await page.waitForURL((url) => url.pathname === "/enrol-two-factor");
    await screenshot(page, "enrol-two-factor-required");
    await page.goto("/waitlist");
    await page.waitForURL((url) => url.pathname === "/enrol-two-factor");
    await enrol(page);
    await page.getByRole("button", { name: "I have saved them — continue" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.context().close();

    await adminPage.getByRole("button", { name: "Make it optional" }).click();
    await adminPage.getByRole("button", { name: "Make optional" }).click();
    await expect.poll(async () => adminPage.getByTestId("require-two-factor").textContent()).toContain("optional");
    await adminPage.context().close();
  });
});

describe("password reset by an admin", () => {
  it("shows the new password once; the member must choose their own at the next sign-in, then signs in with it", async () => {
    const admin = await newStaff("admin");
    const member = await newStaff("support");
    const memberPage = await signedInPage(browser, member.email, password);

    const adminPage = await signedInPage(browser, admin.email, password);
    await adminPage.goto("/staff");
    const row = adminPage.getByRole("row").filter({ hasText: member.email });
    await row.getByRole("button", { name: "Reset password" }).click();
    await adminPage.getByRole("dialog").getByRole("button", { name: "Reset password" }).click();
    const issued = ((await adminPage.getByTestId("revealed-secret").textContent()) ?? "").trim();
    expect(issued).toHaveLength(20);
    await screenshot(adminPage, "staff-password-reset");
    await adminPage.context().close();

    // The member's open session has ended.
    await memberPage.reload();
    await memberPage.waitForURL((url) => url.pathname === "/sign-in");
    await signIn(memberPage, member.email, password);
    await memberPage.getByTestId("form-error").filter({ hasText: "do not match" }).waitFor();

    await signIn(memberPage, member.email, issued);
    await memberPage.waitForURL((url) => url.pathname === "/change-password");
    await memberPage.goto("/waitlist");
    await memberPage.waitForURL((url) => url.pathname === "/change-password");
    await memberPage.getByLabel("Password you were given").fill(issued);
    await memberPage.getByLabel("New password", { exact: true }).fill("short");
    await memberPage.getByLabel("New password again").fill("short");
    await memberPage.getByRole("button", { name: "Change password" }).click();
    await memberPage.locator("#newPassword-error").waitFor();
    await screenshot(memberPage, "change-password-forced");
    const chosen = "a passphrase of my own choosing";
    await memberPage.getByLabel("Password you were given").fill(issued);
    await memberPage.getByLabel("New password", { exact: true }).fill(chosen);
    await memberPage.getByLabel("New password again").fill(chosen);
    await memberPage.getByRole("button", { name: "Change password" }).click();
    await memberPage.waitForURL((url) => url.pathname === "/sign-in");
    await memberPage.getByTestId("password-changed").waitFor();
    await signIn(memberPage, member.email, chosen);
    await memberPage.waitForURL((url) => url.pathname === "/");
    await memberPage.context().close();
  });
});
