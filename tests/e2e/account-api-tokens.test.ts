// Own API tokens on the Account page (SPEC §4, §6), for a member who is not an admin: a support
// member creates a token (shown once), calls the admin API with it as themselves, sees it used,
// revokes it (confirmed) and the API refuses it from then on. They see only their own tokens; an
// admin sees theirs on the Staff page and may revoke it there.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, screenshot, signedInPage } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
const supportEmail = `support-tokens-${tag}@gatehouse.test`;
const adminEmail = `admin-tokens-${tag}@gatehouse.test`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;

const stats = (token: string) => fetch(`${inject("baseUrl")}/api/admin/v1/stats`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email: supportEmail, role: "support", password });
  const { user: admin } = await createStaffUser(connection.db, null, { email: adminEmail, role: "admin", password });
  // Someone else's token, which the support member must not see.
  await createApiToken(connection.db, null, { email: admin.email, name: `admin-only-${tag}` });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("own API tokens on the Account page", () => {
  it("a support member creates a token (shown once), uses it on the admin API, and revokes it: the API then refuses it", async () => {
    const page = await signedInPage(browser, supportEmail, password);
    await page.getByRole("link", { name: "Account" }).click();
    await page.getByRole("heading", { name: "Account" }).waitFor();
    const card = page.getByTestId("account-api-tokens");
    await card.getByText("You have no API tokens").waitFor();
    expect(await card.getByText(`admin-only-${tag}`).count()).toBe(0);
    await screenshot(page, "account-api-tokens-empty");

    await card.getByRole("button", { name: "Create API token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API token" });
    await dialog.getByText(`The token is yours (${supportEmail})`).waitFor();
    expect(await dialog.getByLabel("Expires after (days)").inputValue()).toBe("90");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await dialog.getByText("name it after what uses it").waitFor();
    await dialog.getByLabel("Name").fill(`support-tool-${tag}`);
    await dialog.getByLabel("Expires after (days)").fill("30");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const secret = dialog.getByTestId("revealed-secret");
    await secret.waitFor();
    const token = (await secret.textContent())!.trim();
    expect(token).toMatch(/^ghs_/);
    await screenshot(page, "account-api-token-created");
    await dialog.getByRole("button", { name: "Done" }).click();

    // Shown once: neither the page nor a reopened dialog carries it again.
    const row = card.locator("tbody tr", { hasText: `support-tool-${tag}` });
    await row.getByText("Active").waitFor();
    await row.getByText(/^(in 30 days|next month)$/).waitFor();
    await row.getByText("never").waitFor();
    expect((await page.content()).includes(token)).toBe(false);
    await card.getByRole("button", { name: "Create API token" }).click();
    expect(await dialog.getByTestId("revealed-secret").count()).toBe(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // The token acts as the support member: the stats need only "view".
    const answer = await stats(token);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toHaveProperty("registrations");
    await page.reload();
    await row.getByText("never").waitFor({ state: "detached" });
    await screenshot(page, "account-api-tokens-used");

    await row.getByRole("button", { name: "Revoke" }).click();
    const confirm = page.getByRole("dialog", { name: `Revoke token support-tool-${tag} (${token.slice(0, 10)}…)?` });
    await confirm.getByText("Requests with this token are refused from now on").waitFor();
    await screenshot(page, "account-api-token-revoke-confirm");
    await confirm.getByRole("button", { name: "Revoke token" }).click();
    await row.getByText("Revoked", { exact: true }).waitFor();
    expect(await row.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    const refused = await stats(token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toMatch(/problem\+json/);
    await screenshot(page, "account-api-tokens-revoked");
    await page.context().close();
  });

  it("an admin sees a support member's token on the Staff page, with its owner, and revokes it there", async () => {
    const page = await signedInPage(browser, supportEmail, password);
    await page.goto("/account");
    const card = page.getByTestId("account-api-tokens");
    await card.getByRole("button", { name: "Create API token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API token" });
    await dialog.getByLabel("Name").fill(`support-second-${tag}`);
    await dialog.getByRole("button", { name: "Create token" }).click();
    const token = (await dialog.getByTestId("revealed-secret").textContent())!.trim();
    await page.context().close();
    expect((await stats(token)).status).toBe(200);

    const adminPage = await signedInPage(browser, adminEmail, password);
    await adminPage.goto("/staff");
    const row = adminPage.locator("tbody tr", { hasText: `support-second-${tag}` });
    await row.getByText(supportEmail).waitFor();
    await row.getByRole("button", { name: "Revoke" }).click();
    await adminPage.getByRole("dialog", { name: /^Revoke token/ }).getByRole("button", { name: "Revoke token" }).click();
    await row.getByText("Revoked", { exact: true }).waitFor();
    expect((await stats(token)).status).toBe(401);
    await adminPage.context().close();
  });
});
