// Single sign-on end to end (SPEC §3.8): a real OpenID Connect provider (oidc-provider) on a
// free port, and a web server of this file's own with AUTH_OIDC_* pointing at it (the shared
// e2e server offers passwords only). Chromium clicks "Sign in with SSO", signs in and consents
// at the provider, and comes back through /api/auth/callback/oidc: an enabled staff member is
// signed in with their role; an unknown e-mail and a disabled member are turned away with a
// message on the sign-in page, signed out.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { auditEvents, staffUsers } from "../../db/schema";
import { freePort } from "../../scripts/lib/services";
import { connectServerDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";
import { launchBrowser, newPage, screenshot } from "../helpers/browser";
import { startOidcProvider, type TestOidcProvider } from "../helpers/oidc-provider";
import { startWebServer, type WebServerProcess } from "../helpers/web-server-process";

const artifacts = path.resolve(import.meta.dirname, "../../test-artifacts");
const tag = randomBytes(4).toString("hex");
// Logins at the provider, and the e-mail each one's provider account carries.
const people = {
  product: { email: `Product-SSO-${tag}@Example.test`, email_verified: true, name: "Pat Product" },
  stranger: { email: `stranger-${tag}@example.test`, email_verified: true, name: "Sam Stranger" },
  disabled: { email: `disabled-sso-${tag}@example.test`, email_verified: true, name: "Dee Disabled" },
};

let connection: ReturnType<typeof connectServerDatabase>;
let provider: TestOidcProvider;
let server: WebServerProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const staffIds: Record<"product" | "disabled", string> = { product: "", disabled: "" };

beforeAll(async () => {
  connection = connectServerDatabase();
  // Staff rows as an admin would have created them: no password, e-mail in another case than the provider's.
  staffIds.product = (await insertStaff(connection.db, "product", people.product.email.toLowerCase())).staffId;
  staffIds.disabled = (await insertStaff(connection.db, "growth", people.disabled.email)).staffId;
  await connection.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, staffIds.disabled));

  const port = await freePort();
  // The app as "localhost", the provider as 127.0.0.1: two sites, as in production.
  provider = await startOidcProvider({ redirectUri: `http://localhost:${port}/api/auth/callback/oidc`, people });
  server = await startWebServer({
    port,
    host: "localhost",
    logPath: path.join(artifacts, "web-server-sso.log"),
    env: {
      DATABASE_URL: inject("e2eDatabaseUrl"),
      REDIS_URL: inject("redisUrl"),
      QUEUE_PREFIX: inject("e2eQueuePrefix"),
      DATA_KEY: inject("e2eDataKey"),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_OIDC_ISSUER: provider.issuer,
      AUTH_OIDC_CLIENT_ID: provider.clientId,
      AUTH_OIDC_CLIENT_SECRET: provider.clientSecret,
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  await provider?.close();
  await connection?.close();
});

/** A fresh browser (no cookies at the app or the provider) on the SSO server's sign-in page. */
async function signInPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto("/sign-in");
  return page;
}

/** Through the provider's own pages: "Sign in with SSO", its login form, its consent page. */
async function signInAtProvider(page: Page, login: keyof typeof people): Promise<void> {
  await page.getByRole("button", { name: "Sign in with SSO" }).click();
  await page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith("/interaction/"));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything the provider accepts");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // Consent: the first sign-in to the app asks to share the e-mail and profile scopes.
  await expect.poll(() => page.locator("body").textContent()).toContain("email");
  await page.getByRole("button", { name: "Continue" }).click();
}

/** This file's audit rows of `action`, for a staff member or (refused strangers) an e-mail. */
async function auditRows(action: string, about: { staffId: string } | { email: string }) {
  const target = "staffId" in about ? eq(auditEvents.targetId, about.staffId) : sql`${auditEvents.after}->>'email' = ${about.email}`;
  return connection.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), target));
}

describe("single sign-on", () => {
  it("shows the SSO button beside the password form", async () => {
    const page = await signInPage();
    await expect(page.getByRole("button", { name: "Sign in with SSO" }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Sign in", exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel("Password").isVisible()).resolves.toBe(true);
    await screenshot(page, "sso-sign-in-page");
  });

  it("signs an enabled staff member in with their role after login and consent at the provider", async () => {
    const page = await signInPage();
    await signInAtProvider(page, "product");
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === "/");
    await expect(page.getByTestId("staff-role").textContent()).resolves.toBe("product");
    // The product role sees the console but not the Staff page (admins only).
    await page.goto("/staff");
    await page.waitForURL((url) => url.pathname === "/forbidden");

    const [audit] = await auditRows("staff.sso_sign_in", { staffId: staffIds.product });
    expect(audit).toMatchObject({ actorId: staffIds.product, targetId: staffIds.product, after: { role: "product", issuer: provider.issuer, subject: "product" } });
    const [row] = await connection.db.select().from(staffUsers).where(eq(staffUsers.id, staffIds.product));
    expect(row!.lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses an e-mail that is no staff member's, and creates nobody", async () => {
    const page = await signInPage();
    await signInAtProvider(page, "stranger");
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === "/sign-in" && url.searchParams.get("error") === "sso_unknown");
    await expect(page.getByTestId("sso-error").textContent()).resolves.toContain("not a Gatehouse staff member");
    await screenshot(page, "sso-sign-in-refused");
    await page.goto("/");
    await page.waitForURL((url) => url.pathname === "/sign-in");

    const created = await connection.db.select().from(staffUsers).where(eq(staffUsers.email, people.stranger.email));
    expect(created).toEqual([]);
    expect(await auditRows("staff.sso_sign_in_refused", { email: people.stranger.email })).toMatchObject([
      { actorId: null, targetId: null, after: { email: people.stranger.email, reason: "unknown_staff" } },
    ]);
  });

  it("is not offered by a console without AUTH_OIDC_* (the shared e2e server), whose Auth.js errors do not speak of it", async () => {
    const page = await newPage(browser);
    contexts.push(page.context());
    await page.goto("/sign-in?error=Configuration");
    await expect(page.getByTestId("sso-error").textContent()).resolves.toBe("Sign-in did not complete. Try again.");
    expect(await page.getByRole("button", { name: "Sign in with SSO" }).count()).toBe(0);
    await expect(page.getByRole("button", { name: "Sign in", exact: true }).isVisible()).resolves.toBe(true);
  });

  it("refuses a disabled staff member", async () => {
    const page = await signInPage();
    await signInAtProvider(page, "disabled");
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === "/sign-in" && url.searchParams.get("error") === "sso_disabled");
    await expect(page.getByTestId("sso-error").textContent()).resolves.toContain("disabled");
    await page.goto("/");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(await auditRows("staff.sso_sign_in_refused", { staffId: staffIds.disabled })).toMatchObject([
      { targetId: staffIds.disabled, after: { reason: "staff_disabled" } },
    ]);
  });
});
