// What product sees: phones masked everywhere (waitlist, detail, CSV export), no search by phone,
// no registration actions, no grant button, the policy read-only — and the server refuses a
// forged action anyway.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskPhone } from "../../lib/auth/roles";
import { PHONE_SEARCH_REFUSED } from "../../lib/registrations/list-registrations";
import { createMember } from "../../lib/members/create-member";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { insertPhase, insertRegistration, uniqueMobile } from "../helpers/factories";
import { connectServerDatabase } from "../helpers/database";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser";

const password = "correct horse battery staple";
const tag = randomBytes(3).toString("hex");
let connection: ReturnType<typeof connectServerDatabase>;
let browser: Browser;
let productEmail: string;
let personId: string;
let memberId: string;
let phone: string;

beforeAll(async () => {
  connection = connectServerDatabase();
  const db = connection.db;
  productEmail = `product-${tag}@gatehouse.test`;
  await createStaffUser(db, null, { email: productEmail, role: "product", password });
  const salt = await loadPhoneHashSalt(db);
  phone = uniqueMobile();
  const person = await insertRegistration(db, { phone, phoneHash: phoneHash(salt, phone), email: `masked-${tag}@example.com` });
  personId = person.id;
  // A few more waiting people so the queue page has rows around them.
  for (let i = 0; i < 5; i++) await insertRegistration(db);
  const phase = await insertPhase(db, { name: `Product view ${tag}`, memberInviteQuota: 2 });
  const admitted = await insertRegistration(db, { status: "admitted" });
  memberId = (await createMember(db, { registrationId: admitted.id, phase })).member.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

describe("product", () => {
  it("sees masked phones and no actions it may not take", async () => {
    const page = await newPage(browser);
    await signIn(page, productEmail, password);
    await page.waitForURL((url) => url.pathname === "/");

    // The queue in position order, phones masked.
    await page.goto("/waitlist?status=waiting");
    await page.locator("tbody tr[data-row-id]").first().waitFor();
    const phones = await page.getByTestId("phone").allTextContents();
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.every((p) => p.includes("•"))).toBe(true);
    expect(await page.locator("tbody").textContent()).toContain("#1");
    await page.getByTestId("table-summary").filter({ hasText: "waiting registrations" }).waitFor();
    await screenshot(page, "roles-product-waitlist");

    // Product never searches by phone (the masked digits could be guessed one by one): the page
    // says so and shows nobody. By e-mail the row shows, masked.
    await page.goto(`/waitlist?q=${encodeURIComponent(phone)}`);
    await page.getByText(PHONE_SEARCH_REFUSED).waitFor();
    expect(await page.locator(`tbody tr[data-row-id="${personId}"]`).count()).toBe(0);
    const email = `masked-${tag}@example.com`;
    await page.goto(`/waitlist?q=${encodeURIComponent(email)}`);
    await page.locator(`tbody tr[data-row-id="${personId}"]`).waitFor();
    expect(await page.getByTestId("phone").first().textContent()).toBe(maskPhone(phone));

    // The CSV export of the same filter: streamed, masked.
    const csv = await page.request.get(`/waitlist/export?q=${encodeURIComponent(email)}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const body = await csv.text();
    expect(body).toContain(maskPhone(phone)!);
    expect(body).not.toContain(phone);
    expect(body.split("\r\n")[0]).toContain("id,status,position,phone");

    // The detail page: masked, and no action buttons at all.
    await page.goto(`/registrations/${personId}`);
    await page.getByTestId("priority-total").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(maskPhone(phone));
    expect(await page.getByRole("group", { name: "Actions" }).count()).toBe(0);
    for (const name of ["Remove", "Block", "Hold", "Boost", "Reactivate"]) expect(await page.getByRole("button", { name }).count()).toBe(0);
    await screenshot(page, "roles-product-registration");

    // Members: no grant; policy: read-only.
    await page.goto(`/members/${memberId}`);
    await page.getByTestId("invite-quota").waitFor();
    expect(await page.getByRole("button", { name: "Grant invites" }).count()).toBe(0);
    const ledgerRow = page.locator("tbody tr[data-row-id]").first();
    await ledgerRow.waitFor();
    expect(await ledgerRow.textContent()).toContain("+2");
    await screenshot(page, "roles-product-member-ledger");
    await page.goto("/members");
    await page.locator("tbody tr[data-row-id]").first().waitFor();
    await screenshot(page, "roles-product-members");
    await page.goto("/policy");
    await page.getByText("Read-only: only admins change the registration policy.").waitFor();
    expect(await page.getByRole("button", { name: "Save policy" }).count()).toBe(0);
    expect(await page.getByLabel("Referral points cap").isDisabled()).toBe(true);
    await page.context().close();
  });

  it("is refused by the export without a session", async () => {
    const page = await newPage(browser);
    const response = await page.request.get("/waitlist/export");
    expect(response.status()).toBe(401);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    await page.context().close();
  });
});
