// Admin journey on the Webhooks page: add an endpoint (its signing secret shown once), see the
// deliveries of real events reach a local receiver that verifies each with the Standard Webhooks
// library, open one with its attempts, and send it again (same webhook-id).
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { WorkersHandle } from "../../jobs/worker";
import { env } from "../../lib/env.js";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";
import { connectServerDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix } from "../helpers/redis";
import { startWebhookSink, type WebhookSink } from "../helpers/webhook-sink";
import { startWebhookWorkers } from "../helpers/webhooks";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
const adminEmail = `webhooks-admin-${tag}@gatehouse.test`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let sink: WebhookSink;
let workers: WorkersHandle | null = null;

beforeAll(async () => {
  // The workers below open the secrets the server sealed with its DATA_KEY.
  Object.assign(env, { DATA_KEY: inject("e2eDataKey") });
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email: adminEmail, role: "admin", password });
  sink = await startWebhookSink();
  browser = await launchBrowser();
});

afterAll(async () => {
  await workers?.close();
  await browser?.close();
  await sink?.close();
  await connection?.close();
  await deleteKeysWithPrefix(inject("e2eQueuePrefix"));
});

describe("webhooks page", () => {
  it("adds an endpoint with its secret shown once, lists its deliveries with attempts, and sends one again", async () => {
    const page = await newPage(browser);
    await signIn(page, adminEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.waitForURL((url) => url.pathname === "/webhooks");
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();

    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    // Inline validation first: no event type picked.
    await dialog.getByLabel("URL").fill(sink.url());
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await dialog.getByText("pick at least one event type").waitFor();
    await dialog.getByLabel("Description").fill("App back end");
    await dialog.getByRole("checkbox", { name: /phase\.activated/ }).check();
    await dialog.getByRole("checkbox", { name: /batch\.completed/ }).check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const revealed = dialog.getByTestId("revealed-secret");
    await revealed.waitFor();
    const secret = (await revealed.textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    sink.setSecret("/hook", secret);
    await screenshot(page, "webhooks-secret-shown-once");
    await dialog.getByRole("button", { name: "Done" }).click();

    // Shown once: the page as loaded again has the endpoint, and the secret nowhere.
    await page.reload();
    const row = page.locator("tbody tr", { hasText: sink.url() });
    await row.waitFor();
    expect(await page.content()).not.toContain(secret.slice(6));

    // Real events: a phase activated twice over.
    const product = await insertStaff(connection.db, "product");
    for (const slug of [`wave-a-${tag}`, `wave-b-${tag}`]) {
      const phase = await createPhase(connection.db, product, { slug, name: slug, kind: "closed" });
      await activatePhase(connection.db, product, phase.id);
    }
    workers = await startWebhookWorkers(connection.db, inject("e2eQueuePrefix"));
    await vi.waitFor(() => expect(sink.deliveries()).toHaveLength(2), { timeout: 20_000, interval: 100 });
    expect(sink.received.every((r) => r.verified)).toBe(true);

    await row.getByRole("link", { name: sink.url() }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/webhooks/"));
    const deliveries = page.locator("tbody tr");
    await vi.waitFor(async () => {
      await page.reload();
      expect(await deliveries.filter({ hasText: "Delivered" }).count()).toBe(2);
    }, { timeout: 20_000, interval: 500 });
    await screenshot(page, "webhooks-endpoint-deliveries");

    const first = sink.deliveries()[0]!;
    await deliveries.filter({ hasText: first.webhookId }).getByRole("link", { name: "phase.activated" }).click();
    await page.waitForURL((url) => url.pathname.includes("/deliveries/"));
    await page.getByRole("heading", { name: "Attempts" }).waitFor();
    expect(await page.getByTestId("webhook-body").textContent()).toContain(String(first.body.data.slug));
    await page.locator("tbody tr", { hasText: "HTTP 204" }).waitFor();

    await page.getByRole("button", { name: "Send again" }).click();
    await page.getByRole("dialog", { name: "Send this delivery again?" }).getByRole("button", { name: "Send again" }).click();
    await vi.waitFor(() => expect(sink.deliveries().filter((r) => r.webhookId === first.webhookId)).toHaveLength(2), { timeout: 20_000, interval: 100 });
    await vi.waitFor(async () => {
      await page.reload();
      expect(await page.locator("tbody tr", { hasText: "HTTP 204" }).count()).toBe(2);
    }, { timeout: 20_000, interval: 500 });
    await screenshot(page, "webhooks-delivery-sent-again");

    const [again, original] = sink.deliveries().filter((r) => r.webhookId === first.webhookId).reverse();
    expect(again!.body).toEqual(original!.body);
  });
});
