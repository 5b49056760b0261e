// Admin journey on Staff & API tokens: create a staff member (password shown once) who can then
// sign in, change their role, create an API token (shown once) that authenticates, revoke it,
// disable the member (their next request is refused); other roles get the forbidden page.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiToken } from "../../lib/staff/api-tokens";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { findStaffByEmail } from "../../lib/staff/find-staff";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
const adminEmail = `admin-${tag}@gatehouse.test`;
const newEmail = `newcomer-${tag}@gatehouse.test`;
const supportEmail = `support-${tag}@gatehouse.test`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;

beforeAll(async () => {
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email: adminEmail, role: "admin", password });
  await createStaffUser(connection.db, null, { email: supportEmail, role: "support", password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("staff & API tokens page", () => {
  it("admin creates a staff member who can sign in with the generated password, changes the role, then disables them", async () => {
    const page = await newPage(browser);
    await signIn(page, adminEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Staff & API tokens" }).click();
    await page.waitForURL((url) => url.pathname === "/staff");
    await page.getByRole("heading", { name: "Staff & API tokens" }).waitFor();

    // Inline validation first, then the real thing.
    await page.getByRole("button", { name: "Add staff member" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a staff member" });
    await dialog.getByLabel("E-mail").fill("not an e-mail");
    await dialog.getByRole("button", { name: "Create account" }).click();
    await dialog.getByText("enter a valid e-mail address").waitFor();

    await dialog.getByLabel("E-mail").fill(newEmail);
    await dialog.getByLabel("Name").fill("Nora Newcomer");
    await dialog.getByLabel("Role").selectOption("growth");
    await dialog.getByRole("button", { name: "Create account" }).click();
    const secret = dialog.getByTestId("revealed-secret");
    await secret.waitFor();
    const generated = (await secret.textContent())!.trim();
    expect(generated.length).toBeGreaterThanOrEqual(12);
    await screenshot(page, "staff-created-password");
    await dialog.getByRole("button", { name: "Done" }).click();

    const row = page.locator("tbody tr", { hasText: newEmail });
    await row.waitFor();
    expect(await row.getByTestId("staff-role").textContent()).toBe("growth");

    // The new member signs in with the password shown once.
    const newcomer = await newPage(browser);
    await signIn(newcomer, newEmail, generated);
    await newcomer.waitForURL((url) => url.pathname === "/");
    expect(await newcomer.getByTestId("staff-role").textContent()).toBe("growth");

    // Role change, confirmed in a dialog; it ends the newcomer's session (SPEC §3.8): their next
    // request is sent to sign in, and they come back under the new role.
    await row.getByRole("button", { name: "Change role" }).click();
    const roleDialog = page.getByRole("dialog", { name: `Change the role of ${newEmail}` });
    await roleDialog.getByLabel("Role").selectOption("support");
    await roleDialog.getByRole("button", { name: "Change role" }).click();
    await row.getByTestId("staff-role").filter({ hasText: "support" }).waitFor();
    await newcomer.reload();
    await newcomer.waitForURL((url) => url.pathname === "/sign-in");
    await signIn(newcomer, newEmail, generated);
    await newcomer.waitForURL((url) => url.pathname === "/");
    expect(await newcomer.getByTestId("staff-role").textContent()).toBe("support");

    // Disable, confirmed; the newcomer's next request is refused.
    await row.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog", { name: `Disable ${newEmail}?` }).getByRole("button", { name: "Disable account" }).click();
    await row.getByText("Disabled", { exact: true }).waitFor();
    expect((await findStaffByEmail(connection.db, newEmail))?.disabledAt).toBeInstanceOf(Date);
    await newcomer.goto("/waitlist");
    await newcomer.waitForURL((url) => url.pathname === "/sign-in");
    await newcomer.context().close();

    // Your own row offers no Disable.
    const ownRow = page.locator("tbody tr", { hasText: adminEmail });
    expect(await ownRow.getByRole("button", { name: "Disable" }).count()).toBe(0);
    await screenshot(page, "staff-page");
    await page.context().close();
  });

  it("admin creates their own API token (shown once, expiring in 90 days by default) that authenticates as them, and revokes it", async () => {
    const page = await newPage(browser);
    await signIn(page, adminEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/staff");
    await page.getByRole("button", { name: "Create API token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API token" });
    // No "acts as" choice: the token is the admin's own.
    expect(await dialog.getByLabel("Acts as").count()).toBe(0);
    await dialog.getByText(`The token is yours (${adminEmail})`).waitFor();
    expect(await dialog.getByLabel("Expires after (days)").inputValue()).toBe("90");
    await dialog.getByLabel("Name").fill(`support-tool-${tag}`);
    await dialog.getByRole("button", { name: "Create token" }).click();
    await dialog.getByTestId("revealed-secret").waitFor();
    const token = (await dialog.getByTestId("revealed-secret").textContent())!.trim();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await dialog.getByRole("button", { name: "Copy" }).click();
    await dialog.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await screenshot(page, "staff-token-created");
    await dialog.getByRole("button", { name: "Done" }).click();
    expect(await authenticateApiToken(connection.db, token)).toMatchObject({ email: adminEmail, role: "admin" });

    const row = page.locator("tbody tr", { hasText: `support-tool-${tag}` });
    await row.getByText("Active").waitFor();
    await row.getByText(adminEmail).waitFor();
    await row.getByText(/in 3 months|in 90 days/).waitFor();
    await screenshot(page, "staff-token-expiry");
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog", { name: /^Revoke token/ }).getByRole("button", { name: "Revoke token" }).click();
    await row.getByText("Revoked", { exact: true }).waitFor();
    expect(await authenticateApiToken(connection.db, token)).toBeNull();
    await page.context().close();
  });

  it("shows the forbidden page to a support member", async () => {
    const page = await newPage(browser);
    await signIn(page, supportEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    expect(await page.getByRole("link", { name: "Staff & API tokens" }).count()).toBe(0);
    await page.goto("/staff");
    await page.waitForURL((url) => url.pathname === "/forbidden");
    await page.context().close();
  });
});
