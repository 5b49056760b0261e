// Notifications & queues: support sees a failed notification and retries it (confirmed), settles
// an unknown one, and the page picks up new failures without a reload; product sees the lists
// without the actions and with masked phones.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications } from "../../db/schema";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { insertRegistration, uniqueMobile } from "../helpers/factories";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
const supportEmail = `support-notify-${tag}@gatehouse.test`;
const productEmail = `product-notify-${tag}@gatehouse.test`;
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;

async function insertNotification(status: "failed" | "unknown", lastError: string) {
  const phone = uniqueMobile();
  const registration = await insertRegistration(connection.db, { phone, status: "invited" });
  const [row] = await connection.db
    .insert(notifications)
    .values({ kind: "invitation", channel: "sms", status, recipient: phone, registrationId: registration.id, attempts: 5, lastError, secret: "ABCD-EFGH-JKMN-PQRS" })
    .returning();
  return row!;
}

async function statusOf(id: string) {
  const [row] = await connection.db.select().from(notifications).where(eq(notifications.id, id));
  return row!.status;
}

beforeAll(async () => {
  connection = connectServerDatabase();
  await createStaffUser(connection.db, null, { email: supportEmail, role: "support", password });
  await createStaffUser(connection.db, null, { email: productEmail, role: "product", password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("notifications & queues page", () => {
  it("support retries a failed notification, resolves an unknown one, and sees new failures live", async () => {
    const failed = await insertNotification("failed", `webhook answered 400 (${tag})`);
    const unknown = await insertNotification("unknown", `worker stopped mid-send (${tag})`);

    const page = await newPage(browser);
    await signIn(page, supportEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Notifications & queues" }).click();
    await page.waitForURL((url) => url.pathname === "/notifications");

    const failedRow = page.getByTestId("failed-notifications").locator(`tr[data-row-id="${failed.id}"]`);
    await failedRow.waitFor();
    expect(await failedRow.textContent()).toContain(`webhook answered 400 (${tag})`);
    expect(await failedRow.textContent()).toContain(failed.recipient);
    await page.getByTestId("queue-notifications-sms-waiting").or(page.getByTestId("workers")).first().waitFor();
    await screenshot(page, "notifications-queues");

    await failedRow.getByRole("button", { name: "Retry" }).click();
    await page.getByRole("dialog", { name: "Retry this notification?" }).getByRole("button", { name: "Retry now" }).click();
    await failedRow.waitFor({ state: "detached" });
    // Back in the outbox: pending, or already queued/sent if a relay picked it up.
    expect(["pending", "queued", "sending", "sent"]).toContain(await statusOf(failed.id));
    const [audit] = await connection.db.select().from(auditEvents).where(eq(auditEvents.targetId, failed.id));
    expect(audit?.action).toBe("notification.retry");

    const unknownRow = page.getByTestId("unknown-notifications").locator(`tr[data-row-id="${unknown.id}"]`);
    await unknownRow.getByRole("button", { name: "Resolve" }).click();
    const resolveDialog = page.getByRole("dialog", { name: "Resolve an unknown delivery" });
    await resolveDialog.getByLabel("Outcome").selectOption("failed");
    await resolveDialog.getByLabel("Note").fill("provider has no record");
    await resolveDialog.getByRole("button", { name: "Record outcome" }).click();
    await unknownRow.waitFor({ state: "detached" });
    // Resolved as failed: it now sits in the failed list, ready to retry.
    await page.getByTestId("failed-notifications").locator(`tr[data-row-id="${unknown.id}"]`).waitFor();
    expect(await statusOf(unknown.id)).toBe("failed");

    // A failure that happens while the page is open shows up without a reload.
    const later = await insertNotification("failed", `arrived later (${tag})`);
    await page.getByTestId("failed-notifications").locator(`tr[data-row-id="${later.id}"]`).waitFor({ timeout: 20_000 });
    await page.context().close();
  });

  it("product sees the lists without retry or resolve, phones masked", async () => {
    const failed = await insertNotification("failed", `product view (${tag})`);
    const page = await newPage(browser);
    await signIn(page, productEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/notifications");
    const row = page.getByTestId("failed-notifications").locator(`tr[data-row-id="${failed.id}"]`);
    await row.waitFor();
    expect(await row.getByRole("button", { name: "Retry" }).count()).toBe(0);
    expect(await row.textContent()).not.toContain(failed.recipient);
    expect(await row.textContent()).toContain(`${failed.recipient.slice(0, 4)}•`);
    await page.context().close();
  });
});
