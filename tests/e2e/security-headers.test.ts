// Security headers on the production build (SPEC §3.8): a console page carries a nonce-based CSP
// whose nonce is on every script Next rendered, nobody may frame it, and the console works under
// that CSP — signed in, through several pages and a dialog, Chromium reports no violation. An API
// answer carries the JSON subset.
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const adminEmail = `csp-admin-${randomBytes(3).toString("hex")}@gatehouse.test`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;

beforeAll(async () => {
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email: adminEmail, role: "admin", password });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

/** Every CSP violation the page reports, from the DOM event and from the console. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe("security headers of the console", () => {
  it("a console page: nonce-based CSP whose nonce is on every script, no framing, nosniff, referrer policy", async () => {
    const baseUrl = inject("baseUrl");
    const first = await fetch(`${baseUrl}/sign-in`);
    expect(first.status).toBe(200);
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("same-origin");
    // AUTH_URL of the test server is http: no HSTS.
    expect(first.headers.get("strict-transport-security")).toBeNull();

    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);

    const second = await fetch(`${baseUrl}/sign-in`);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce!);
    await second.arrayBuffer();
  });

  it("an API answer: the JSON subset", async () => {
    const response = await fetch(`${inject("baseUrl")}/api/health`);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    await response.arrayBuffer();
  });

  it("the console works under its CSP: sign-in, pages, a dialog, with no violation reported", async () => {
    const page = await newPage(browser);
    const violations = await watchViolations(page);
    await signIn(page, adminEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    for (const [path, heading] of [
      ["/waitlist", "Waitlist"],
      ["/phases", "Phases"],
      ["/audit", "Audit log"],
      ["/staff", "Staff & API tokens"],
    ] as const) {
      await page.getByRole("navigation").getByRole("link", { name: heading }).first().click();
      await page.waitForURL((url) => url.pathname === path);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    }
    // Client components hydrated and run: a dialog opens, validates inline, closes.
    await page.getByRole("button", { name: "Create API token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API token" });
    await dialog.getByLabel("Expires after (days)").fill("0");
    await dialog.getByLabel("Name").fill("csp-check");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await dialog.getByText("must be at least 1").waitFor();
    await screenshot(page, "security-headers-console");
    await page.keyboard.press("Escape");
    expect(violations).toEqual([]);
    // The watch itself works: injected markup with an inline handler (what an XSS would try) is
    // blocked and reported. (A <script> added by page.evaluate would not do: DevTools code is exempt.)
    await page.evaluate(() => {
      const probe = document.createElement("div");
      probe.innerHTML = `<img src="/csp-probe-missing.png" onerror="document.title = 'injected'">`;
      document.body.append(probe);
    });
    await expect.poll(() => violations.some((v) => /script-src/.test(v))).toBe(true);
    expect(await page.title()).not.toBe("injected");
    await page.context().close();
  });

  it("refuses to be framed by another page", async () => {
    const page = await newPage(browser);
    await page.goto("about:blank");
    // setContent waits for the load event, which waits for both frames. The control frame shows
    // that a framed form is visible to the check; the console's sign-in form never is.
    await page.setContent(
      `<iframe id="console" src="${inject("baseUrl")}/sign-in" width="800" height="400"></iframe><iframe id="control" srcdoc="<input>"></iframe>`,
    );
    const control = await (await page.$("#control"))!.contentFrame();
    expect(await control!.locator("input").count()).toBe(1);
    const framed = await (await page.$("#console"))!.contentFrame();
    expect(framed).not.toBeNull();
    expect(await framed!.locator("input").count()).toBe(0);
    await page.context().close();
  });
});
