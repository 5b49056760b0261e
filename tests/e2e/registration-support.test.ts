// Support's journey: find a person by a phone number written differently from how it is stored
// ("06 12 34 56 78" with country FR for +33612345678), read why they stand where they stand,
// and reactivate their expired invitation — in a real browser against the production build.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, invitations, registrations } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { positionOf } from "../../lib/registrations/position";
import { boostRegistration } from "../../lib/registrations/boost-registration";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { insertPhase, insertRegistration, uniqueMobile } from "../helpers/factories";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let supportEmail: string;
let personId: string;
let phone: string;

/** "+33612345678" → "06 12 34 56 78", as a French person writes it. */
function nationalFrench(e164: string): string {
  const national = `0${e164.slice(3)}`;
  return national.replace(/(\d{2})(?=\d)/g, "$1 ");
}

beforeAll(async () => {
  connection = connectServerDatabase();
  const db = connection.db;
  supportEmail = `support-${tag}@gatehouse.test`;
  await createStaffUser(db, null, { email: supportEmail, role: "support", password });
  const { user: growth } = await createStaffUser(db, null, { email: `growth-${tag}@gatehouse.test`, role: "growth", password });
  const growthActor: Actor = { staffId: growth.id, email: growth.email, role: "growth", via: { kind: "session" } };

  const salt = await loadPhoneHashSalt(db);
  phone = uniqueMobile();
  const phase = await insertPhase(db, { name: `Wave ${tag}`, expiredPlacement: "original" });
  const person = await insertRegistration(db, {
    phone,
    phoneHash: phoneHash(salt, phone),
    status: "expired",
    email: `person-${tag}@example.com`,
    referralPoints: 2,
    queuedAt: new Date(Date.now() - 86_400_000),
  });
  personId = person.id;
  // Two verified referrals (the referral points above) and one staff boost, for the breakdown.
  for (let i = 0; i < 2; i++) await insertRegistration(db, { referredBy: person.id });
  await boostRegistration(db, growthActor, person.id, { points: 3, reason: "launch partner", category: "partner" });
  await db.insert(invitations).values({
    registrationId: person.id,
    phaseId: phase.id,
    source: "batch",
    status: "expired",
    codeHash: randomBytes(16).toString("hex"),
    expiresAt: new Date(Date.now() - 3_600_000),
    createdAt: new Date(Date.now() - 80 * 3_600_000),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("support finds a person and reactivates an expired invitation", () => {
  it("searches by a national-format phone, reads the breakdown, reactivates", async () => {
    const page = await newPage(browser);
    await signIn(page, supportEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Waitlist" }).click();
    await page.waitForURL((url) => url.pathname === "/waitlist");

    // Search the way the caller said it, with the country filter as the hint.
    await page.getByRole("textbox", { name: "Country" }).fill("fr");
    await page.getByRole("textbox", { name: "Search" }).fill(nationalFrench(phone));
    await page.getByRole("textbox", { name: "Search" }).press("Enter");
    await page.waitForURL((url) => url.searchParams.get("q") === nationalFrench(phone));
    await page.locator(`tbody tr[data-row-id="${personId}"]`).waitFor();
    expect(await page.locator("tbody tr[data-row-id]").count()).toBe(1);
    // Support sees the full number.
    expect(await page.getByTestId("phone").first().textContent()).toBe(phone);
    await page.getByTestId("table-summary").filter({ hasText: "1 registration" }).waitFor();
    await screenshot(page, "waitlist-search-by-phone");

    await page.locator(`tbody tr[data-row-id="${personId}"]`).click();
    await page.waitForURL((url) => url.pathname === `/registrations/${personId}`);
    await page.getByTestId("position").filter({ hasText: "Not in the queue: expired" }).waitFor();
    expect(await page.getByTestId("priority-total").textContent()).toBe("5");
    const breakdown = await page.getByTestId("priority-breakdown").textContent();
    expect(breakdown).toContain("2 verified referrals × 1 = 2, capped at 10");
    expect(breakdown).toContain("launch partner");
    expect(await page.getByTestId("timeline").textContent()).toContain("registration.boost by growth-");
    // Support may not boost: growth/admin only.
    expect(await page.getByRole("button", { name: "Boost" }).count()).toBe(0);

    await page.getByRole("button", { name: "Reactivate" }).click();
    const dialog = page.getByRole("dialog", { name: "Reactivate this registration" });
    await dialog.waitFor();
    await dialog.getByLabel("Reason (optional)").fill("invitation expired while travelling");
    await screenshot(page, "registration-reactivate-dialog");
    await dialog.getByRole("button", { name: "Reactivate" }).click();
    await page.getByText("Reactivated: the registration is waiting again.").waitFor();
    await page.getByTestId("position").filter({ hasText: "#" }).waitFor();

    const [row] = await connection.db.select().from(registrations).where(eq(registrations.id, personId));
    expect(row!.status).toBe("waiting");
    const position = await positionOf(connection.db, personId);
    expect(await page.getByTestId("position").textContent()).toBe(`#${position!.toLocaleString("en-US")}`);
    const audits = await connection.db.select().from(auditEvents).where(eq(auditEvents.targetId, personId));
    expect(audits.map((a) => a.action)).toContain("registration.reactivate");
    await page.getByTestId("timeline").filter({ hasText: `registration.reactivate by ${supportEmail}` }).waitFor();
    await screenshot(page, "registration-detail-support");
    await page.context().close();
  });

  it("shows a reason is required before removing, inline", async () => {
    const page = await newPage(browser);
    await signIn(page, supportEmail, password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto(`/registrations/${personId}`);
    await page.getByRole("button", { name: "Remove" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove from the waitlist" });
    await dialog.getByRole("button", { name: "Remove" }).click();
    await dialog.getByText("give a reason (at least 3 characters)").waitFor();
    await screenshot(page, "registration-remove-validation");
    const [row] = await connection.db.select().from(registrations).where(eq(registrations.id, personId));
    expect(row!.status).toBe("waiting");
    await page.context().close();
  });
});
