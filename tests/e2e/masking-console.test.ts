// Masked means masked everywhere (SPEC §3.8), the console half: every console page (found on
// disk: a page added without a row fails the first test) and every CSV export of the route
// registry, fetched over HTTP with a product session from the production build — the HTML with
// its embedded React payload, so what client components receive is read too. No seeded number
// may appear in any format; phone fields carry the masked string. The HTTP API half is
// tests/integration/masking-admin-api.test.ts.
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { nextRoutes } from "../../app/_server/routes/registry";
import { maskPhone } from "../../lib/auth/roles";
import { env } from "../../lib/env.js";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";
import { connectServerDatabase } from "../helpers/database";
import { revealedNumbers, seedKnownNumbers, type MaskingSeed } from "../helpers/masking";

const root = path.resolve(import.meta.dirname, "../..");
const password = "correct horse battery staple";
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let page: Page;
let seed: MaskingSeed;

/**
 * Per console page (its route as the file system names it): the URLs product reads and the
 * numbers whose masked form must show there; `forbidden` pages send product to /forbidden.
 */
type Row = { urls: (s: MaskingSeed) => string[]; masked?: (s: MaskingSeed) => string[] } | { forbidden: (s: MaskingSeed) => string };

const pages: Record<string, Row> = {
  "/": { urls: () => ["/"] },
  "/waitlist": {
    urls: (s) => [
      "/waitlist",
      "/waitlist?status=waiting",
      "/waitlist?status=invited",
      "/waitlist?status=admitted",
      "/waitlist?status=removed",
      `/waitlist?q=${s.registrationIds[0]}`,
    ],
    masked: (s) => [s.named.waiting],
  },
  "/registrations/[id]": { urls: (s) => s.registrationIds.map((id) => `/registrations/${id}`), masked: (s) => [s.named.invited, s.named.friend] },
  "/batches": { urls: () => ["/batches", "/batches?kind=targeted"] },
  "/batches/[id]": { urls: (s) => [`/batches/${s.batchId}`], masked: (s) => [s.named.invited, s.named.unknown] },
  "/batches/new": { forbidden: () => "/batches/new" },
  "/phases": { urls: () => ["/phases"] },
  "/phases/[id]": { urls: (s) => [`/phases/${s.allowListPhaseId}`, `/phases/${s.activePhase.id}`], masked: (s) => [s.named.allowListed] },
  "/phases/[id]/edit": { urls: (s) => [`/phases/${s.allowListPhaseId}/edit`], masked: (s) => [s.named.allowListed] },
  "/phases/new": { urls: () => ["/phases/new"] },
  "/members": { urls: () => ["/members"], masked: (s) => [s.named.admitted] },
  "/members/[id]": { urls: (s) => [`/members/${s.memberId}`], masked: (s) => [s.named.admitted] },
  "/notifications": { urls: () => ["/notifications"], masked: (s) => [s.named.invited, s.named.friend] },
  "/policy": { urls: () => ["/policy"] },
  "/audit": { urls: () => ["/audit", "/audit?targetType=phase", "/audit?targetType=batch"] },
  "/forbidden": { urls: () => ["/forbidden"] },
  "/account": { urls: () => ["/account"] },
  "/staff": { forbidden: () => "/staff" },
  "/webhooks": { forbidden: () => "/webhooks" },
  "/webhooks/[id]": { forbidden: () => `/webhooks/${randomUUID()}` },
  "/webhooks/[id]/deliveries/[deliveryId]": { forbidden: () => `/webhooks/${randomUUID()}/deliveries/${randomUUID()}` },
};

/** Every CSV export (the registry's console GET routes), with the filters product would use. */
const exports: Record<string, { urls: (s: MaskingSeed) => string[]; masked?: (s: MaskingSeed) => string[] }> = {
  "/waitlist/export": { urls: () => ["/waitlist/export", "/waitlist/export?status=removed"], masked: (s) => [s.named.waiting, s.named.removed] },
  "/batches/export": { urls: () => ["/batches/export"] },
  "/audit/export": { urls: () => ["/audit/export"] },
};

/** The console's pages as Next routes them: app/(console)/**\/page.tsx → "/batches/[id]". */
function consolePages(): string[] {
  const dir = path.join(root, "app", "(console)");
  const found: string[] = [];
  const walk = (current: string, route: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith("_")) {
        // Route groups "(name)" add no segment.
        walk(path.join(current, entry.name), entry.name.startsWith("(") ? route : `${route}/${entry.name}`);
      } else if (entry.name === "page.tsx") found.push(route || "/");
    }
  };
  walk(dir, "");
  return found.sort();
}

beforeAll(async () => {
  // Seeded invitations seal their codes with the server's key, as the server would.
  Object.assign(env, { DATA_KEY: inject("e2eDataKey") });
  connection = connectServerDatabase();
  seed = await seedKnownNumbers(connection.db);
  const email = `product-masking-${randomBytes(3).toString("hex")}@gatehouse.test`;
  await createStaffUser(connection.db, null, { email, role: "product", password });
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, email, password);
  await page.waitForURL((url) => url.pathname === "/");
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

/** The document product's session gets for `url` (redirects followed), and where it ended. */
async function read(url: string): Promise<{ status: number; finalPath: string; text: string }> {
  const response = await page.request.get(url);
  return { status: response.status(), finalPath: new URL(response.url()).pathname, text: await response.text() };
}

describe("masked everywhere: the console as product", () => {
  it("has a row for every console page and every export", () => {
    const onDisk = consolePages();
    expect(onDisk.filter((p) => !(p in pages)), "console pages without a masking row").toEqual([]);
    expect(Object.keys(pages).filter((p) => !onDisk.includes(p)), "rows for pages that no longer exist").toEqual([]);
    const csv = nextRoutes.filter((r) => r.method === "GET" && r.permission).map((r) => r.path);
    expect(csv.sort()).toEqual(Object.keys(exports).sort());
  });

  it.each(Object.entries(pages))("page %s reveals no seeded number", async (_route, row) => {
    if ("forbidden" in row) {
      const { finalPath, text } = await read(row.forbidden(seed));
      expect(finalPath).toBe("/forbidden");
      expect(revealedNumbers(text, seed.numbers)).toEqual([]);
      return;
    }
    let all = "";
    for (const url of row.urls(seed)) {
      const { status, finalPath, text } = await read(url);
      expect({ url, status, finalPath }).toEqual({ url, status: 200, finalPath: url.split("?")[0] });
      expect(revealedNumbers(text, seed.numbers), url).toEqual([]);
      all += text;
    }
    for (const number of row.masked?.(seed) ?? []) expect(all, `masked ${number}`).toContain(maskPhone(number)!);
  });

  it.each(Object.entries(exports))("export %s reveals no seeded number", async (_route, row) => {
    let all = "";
    for (const url of row.urls(seed)) {
      const { status, text } = await read(url);
      expect({ url, status }).toEqual({ url, status: 200 });
      expect(revealedNumbers(text, seed.numbers), url).toEqual([]);
      all += text;
    }
    for (const number of row.masked?.(seed) ?? []) expect(all, `masked ${number}`).toContain(maskPhone(number)!);
  });

  it("shows the batch page as product reads it", async () => {
    await page.goto(`/batches/${seed.batchId}`);
    await page.getByRole("heading", { name: "Failures" }).waitFor();
    await screenshot(page, "masking-product-batch");
    const body = (await page.locator("body").textContent()) ?? "";
    expect(revealedNumbers(body, seed.numbers)).toEqual([]);
    expect(body).toContain(maskPhone(seed.named.unknown)!);
  });
});
