// Journey: growth previews and confirms an admit_next batch and watches it complete. The batch
// worker runs in this process against the test server's database and queue prefix; it starts
// only after the batch is confirmed, so the detail page is seen queued first and then moving
// to completed by itself (live refresh, no reload).
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { auditEvents, batches, invitations, notifications, registrations } from "../../db/schema";
import { runBatch } from "../../jobs/definitions/admissions";
import { runBatchProcessor } from "../../jobs/processors/admissions";
import { startWorkers, type WorkersHandle } from "../../jobs/worker";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { insertRegistration } from "../helpers/factories";
import { deleteKeysWithPrefix } from "../helpers/redis";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, screenshot, signedInPage } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
const growthEmail = `growth-${tag}@gatehouse.test`;
const productEmail = `product-${tag}@gatehouse.test`;
// People of a country no other journey uses, so the batch takes exactly these.
const COUNTRY = "IS";
const WAITING = 25;
const SIZE = 20;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let workers: WorkersHandle | undefined;
let growthId: string;
const phones: string[] = [];

beforeAll(async () => {
  connection = connectServerDatabase();
  growthId = (await createStaffUser(connection.db, null, { email: growthEmail, role: "growth", password })).user.id;
  const { user: product } = await createStaffUser(connection.db, null, { email: productEmail, role: "product", password });
  const productActor = { staffId: product.id, email: product.email, role: product.role, via: { kind: "session" as const } };
  const phase = await createPhase(connection.db, productActor, { slug: `batch-wave-${tag}`, name: `Batch wave ${tag}`, kind: "closed" });
  await activatePhase(connection.db, productActor, phase.id);
  for (let i = 0; i < WAITING; i++) {
    // Icelandic mobiles (+354 66x xxxx), valid so a targeted list can name them: 667 and 668
    // are not mobile ranges, so the third digit avoids them.
    const random = Number.parseInt(randomBytes(3).toString("hex"), 16);
    const phone = `+35466${"01234569"[random % 8]}${String(Math.floor(random / 8) % 10_000).padStart(4, "0")}`;
    phones.push(phone);
    await insertRegistration(connection.db, { phone, phoneHash: `e2e:${phone}`, phoneCountry: COUNTRY, queuedAt: new Date(Date.now() - (WAITING - i) * 1000) });
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await deleteKeysWithPrefix(inject("e2eQueuePrefix"));
  await connection?.close();
});

/** "+3546612345" as people write it: "+354 661 2345". */
const spaced = (e164: string) => `${e164.slice(0, 4)} ${e164.slice(4, 7)} ${e164.slice(7)}`;

const signedInGrowth = () => signedInPage(browser, growthEmail, password);

describe("batch journey", () => {
  // Runs before any worker exists, so the batch is still queued when it is cancelled.
  it("growth uploads a CSV for a targeted batch, reads its failures and cancels it", async () => {
    const page = await signedInGrowth();
    await page.goto("/batches/new");
    await page.getByLabel("Targeted").check();
    await page.locator("input[type=file]").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(`phone\n${spaced(phones[0]!)}\nnot-a-phone\n`) });
    await page.waitForFunction(() => (document.querySelector("#targets") as HTMLTextAreaElement | null)?.value.includes("not-a-phone"));
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByTestId("batch-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain("Would be invited1");
    expect(await preview.textContent()).toContain("Unreadable phone1");
    await page.getByRole("button", { name: "Confirm — invite 1" }).click();
    await page.waitForURL((url) => /^\/batches\/[0-9a-f-]{36}$/.test(url.pathname));
    await page.getByText("not-a-phone").waitFor();
    expect(await page.getByTestId("counter-failed").textContent()).toBe("1");
    await screenshot(page, "batch-targeted-failures");

    await page.getByRole("button", { name: "Cancel batch" }).click();
    await page.getByRole("dialog", { name: "Cancel this batch?" }).getByRole("button", { name: "Cancel batch" }).click();
    await page.getByTestId("batch-status").getByText("cancelled").waitFor();
    expect(await page.getByRole("button", { name: "Cancel batch" }).count()).toBe(0);
    const [cancelled] = await connection.db.select().from(batches).where(eq(batches.kind, "targeted"));
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: growthId, invited: 0 });
    await page.context().close();
  });

  it("growth previews and confirms an admit_next batch and watches it complete", async () => {
    const page = await signedInGrowth();
    await page.getByRole("link", { name: "Batches" }).click();
    await page.getByRole("link", { name: "New batch" }).click();
    await page.waitForURL((url) => url.pathname === "/batches/new");

    // Preview without a size: the error shows next to the field.
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByText("how many people to invite").waitFor();

    await page.getByLabel("How many").fill(String(SIZE));
    await page.getByLabel("Countries").fill(COUNTRY.toLowerCase());
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByTestId("batch-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`Would be invited${SIZE}`);
    expect(await preview.textContent()).toContain("Nobody is left out.");
    await screenshot(page, "batch-preview");

    // A double click on Confirm makes one batch (one idempotency key per form instance).
    await page.getByRole("button", { name: `Confirm — invite ${SIZE}` }).dblclick();
    await page.waitForURL((url) => /^\/batches\/[0-9a-f-]{36}$/.test(url.pathname));
    const batchId = new URL(page.url()).pathname.split("/").at(-1)!;
    const made = await connection.db.select().from(batches).where(and(eq(batches.createdBy, growthId), eq(batches.kind, "admit_next")));
    expect(made.map((b) => b.id)).toEqual([batchId]);
    expect(made[0]).toMatchObject({ kind: "admit_next", requested: SIZE, params: { kind: "admit_next", size: SIZE, filters: { country: [COUNTRY] } } });

    // No worker yet: the batch waits in the queue, and the page says so.
    await page.getByTestId("batch-status").getByText("queued").waitFor();
    await page.getByTestId("live-status").waitFor();
    await screenshot(page, "batch-queued");
    await page.evaluate(() => ((window as unknown as { journeyMarker: string }).journeyMarker = "no reload"));

    workers = await startWorkers({
      db: connection.db,
      redis: { url: inject("redisUrl") },
      prefix: inject("e2eQueuePrefix"),
      processors: [runBatchProcessor],
      relay: false,
      schedules: false,
      log: () => {},
    });

    await page.getByTestId("batch-status").getByText("completed").waitFor({ timeout: 30_000 });
    // The run job carries the id of the console request that created the batch (its log lines name it),
    // and so do the creation's audit row and the batch's messages (written by the job's chunks).
    const runData = (await workers.producer.queue(runBatch).getJob(batchId))?.data as { requestId?: string } | undefined;
    expect(runData).toEqual({ batchId, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [created] = await connection.db
      .select({ requestId: auditEvents.requestId })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "batch.create"), eq(auditEvents.targetId, batchId)));
    expect(created?.requestId).toBe(runData?.requestId);
    const messageRequestIds = await connection.db
      .selectDistinct({ requestId: notifications.requestId })
      .from(notifications)
      .innerJoin(invitations, eq(notifications.invitationId, invitations.id))
      .where(eq(invitations.batchId, batchId));
    expect(messageRequestIds).toEqual([{ requestId: runData?.requestId }]);
    expect(await page.evaluate(() => (window as unknown as { journeyMarker?: string }).journeyMarker)).toBe("no reload");
    expect(await page.getByTestId("counter-selected").textContent()).toBe(String(SIZE));
    expect(await page.getByTestId("counter-invited").textContent()).toBe(String(SIZE));
    expect(await page.getByTestId("counter-notified").textContent()).toBe(String(SIZE));
    expect(await page.getByTestId("batch-progress-percent").textContent()).toBe("100%");
    expect(await page.getByTestId("live-status").count()).toBe(0); // refreshing stops once finished
    expect(await page.getByRole("button", { name: "Cancel batch" }).count()).toBe(0);
    await screenshot(page, "batch-completed");

    const invited = await connection.db.select().from(registrations).where(eq(registrations.phoneCountry, COUNTRY));
    expect(invited.filter((r) => r.status === "invited")).toHaveLength(SIZE);

    await page.getByRole("link", { name: "Batches" }).first().click();
    await page.waitForURL((url) => url.pathname === "/batches");
    const row = page.locator("tbody tr", { hasText: batchId.slice(0, 8) });
    await row.getByText("completed").waitFor();
    expect(await row.textContent()).toContain(growthEmail);
    await screenshot(page, "batches-list");
    await page.context().close();
  });

  it("product sees the batches but no New batch button, and cannot open the form", async () => {
    const page = await signedInPage(browser, productEmail, password);
    await page.goto("/batches");
    await page.locator("tbody tr").first().waitFor();
    expect(await page.getByRole("link", { name: "New batch" }).count()).toBe(0);
    await page.locator("tbody tr").first().click();
    await page.waitForURL((url) => /^\/batches\/[0-9a-f-]{36}$/.test(url.pathname));
    expect(await page.getByRole("button", { name: "Cancel batch" }).count()).toBe(0);
    await page.goto("/batches/new");
    await page.waitForURL((url) => url.pathname === "/forbidden");
    await page.context().close();
  });
});
