// The Waitlist table's query module against a real database: queue order and exact positions on
// every keyset page (forwards, backwards, filtered, back-to-front), creation order, searches by
// phone in any format / e-mail / id / referral code, masked phones for product, counts, and
// the chunked iterator behind the CSV export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Registration, StaffRole } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { countRegistrations } from "../../lib/registrations/count-registrations";
import {
  iterateRegistrations,
  listRegistrations,
  PHONE_SEARCH_REFUSED,
  type RegistrationListInput,
  type RegistrationListRow,
} from "../../lib/registrations/list-registrations";
import { naivePositionOf } from "../../lib/registrations/position";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";

let db: TestDatabase;
const staff = {} as Record<StaffRole, Actor>;
const waiting: Registration[] = [];
let known: Registration;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const role of ["admin", "product"] as const) staff[role] = await insertStaff(db.db, role);
  const salt = await loadPhoneHashSalt(db.db);
  const base = Date.UTC(2026, 0, 1);
  // 130 waiting people over 3 priority levels and several hours; every 4th in Belgium.
  for (let i = 0; i < 130; i++) {
    const phone = i % 4 === 0 ? `+3247${String(1000000 + i).slice(-7)}` : `+336${String(10000000 + i * 7919).slice(-8)}`;
    waiting.push(
      await insertRegistration(db.db, {
        phone,
        phoneHash: phoneHash(salt, phone),
        phoneCountry: i % 4 === 0 ? "BE" : "FR",
        platform: i % 3 === 0 ? "ios" : "android",
        email: `person${i}@example.com`,
        referralPoints: [0, 0, 1, 5][i % 4]!,
        queuedAt: new Date(base + (i % 13) * 1_800_000 + i * 1000),
        createdAt: new Date(base + i * 60_000),
        review: i % 10 === 0 ? "hold" : "clear",
      }),
    );
  }
  for (const status of ["invited", "admitted", "removed", "expired", "pending_verification"] as const) {
    for (let i = 0; i < 4; i++) await insertRegistration(db.db, { status, createdAt: new Date(base + 200 * 60_000 + i) });
  }
  const phone = "+33612345678";
  known = await insertRegistration(db.db, { phone, phoneHash: phoneHash(salt, phone), email: "Known.Person@Example.com", queuedAt: new Date(base - 1) });
  waiting.push(known);
});

afterAll(async () => {
  await db?.drop();
});

async function walk(input: RegistrationListInput, actor = staff.admin): Promise<RegistrationListRow[][]> {
  const pages: RegistrationListRow[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listRegistrations(db.db, actor, { ...input, after, limit: 25 });
    pages.push(page.rows);
    if (!page.nextCursor) return pages;
    after = page.nextCursor;
  }
}

function queueSorted(rows: Registration[]): Registration[] {
  return [...rows].sort(
    (a, b) => b.priority - a.priority || a.queuedAt!.getTime() - b.queuedAt!.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

describe("queue order", () => {
  it("pages through everyone waiting front to back with exact positions", async () => {
    const rows = (await walk({ status: "waiting" })).flat();
    expect(rows.map((r) => r.id)).toEqual(queueSorted(waiting).map((r) => r.id));
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
  });

  it("gives exact positions on filtered pages (people skipped by the filter still count)", async () => {
    const rows = (await walk({ status: "waiting", country: "BE", platform: "android" })).flat();
    const expected = queueSorted(waiting.filter((r) => r.phoneCountry === "BE" && r.platform === "android"));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    for (const row of rows) expect(row.position).toBe(await naivePositionOf(db.db, row.id));
  });

  it("reads back to front, and pages backwards to the same rows", async () => {
    const first = await listRegistrations(db.db, staff.admin, { status: "waiting", dir: "desc", limit: 20 });
    expect(first.rows[0]!.position).toBe(waiting.length);
    const second = await listRegistrations(db.db, staff.admin, { status: "waiting", dir: "desc", limit: 20, after: first.nextCursor! });
    expect(second.rows[0]!.position).toBe(waiting.length - 20);
    const back = await listRegistrations(db.db, staff.admin, { status: "waiting", dir: "desc", limit: 20, before: second.previousCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.previousCursor).toBeNull();
  });

  it("shows only held people with the review filter, positions exact across priority levels", async () => {
    const rows = (await walk({ status: "waiting", review: "hold" })).flat();
    expect(rows.length).toBe(13);
    expect(rows.every((r) => r.review === "hold")).toBe(true);
    expect(new Set(rows.map((r) => r.priority)).size).toBeGreaterThan(1);
    for (const row of rows) expect(row.position).toBe(await naivePositionOf(db.db, row.id));
  });
});

describe("creation order", () => {
  it("lists every status newest first without duplicates, positions left out", async () => {
    const rows = (await walk({})).flat();
    expect(rows.length).toBe(waiting.length + 20);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const times = rows.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(rows.every((r) => r.position === null)).toBe(true);
  });

  it("filters by status", async () => {
    const rows = (await walk({ status: "expired" })).flat();
    expect(rows.map((r) => r.status)).toEqual(["expired", "expired", "expired", "expired"]);
  });
});

describe("search", () => {
  it.each([
    ["national format with the country filter", { q: "06 12 34 56 78", country: "FR" }],
    ["international with spaces", { q: "+33 6 12 34 56 78" }],
    ["00 prefix and dashes", { q: "0033-6-12-34-56-78" }],
    ["e-mail in another case", { q: "known.person@EXAMPLE.com" }],
    ["id", { q: "__ID__" }],
    ["referral code in lower case", { q: "__CODE__" }],
  ])("finds a person by %s", async (_, raw) => {
    const q = raw.q.replace("__ID__", known.id).replace("__CODE__", known.referralCode.toLowerCase());
    const page = await listRegistrations(db.db, staff.admin, { ...raw, q });
    expect(page.rows.map((r) => r.id)).toEqual([known.id]);
    expect(await countRegistrations(db.db, staff.admin, { ...raw, q })).toEqual({ value: 1, kind: "exact" });
  });

  it("explains a national number without a country instead of matching nothing silently", async () => {
    const page = await listRegistrations(db.db, staff.admin, { q: "06 12 34 56 78" });
    expect(page.rows).toEqual([]);
    expect(page.searchNote).toMatch(/country/);
  });
});

describe("roles and counts", () => {
  it("masks phones for product", async () => {
    const page = await listRegistrations(db.db, staff.product, { q: known.id });
    expect(page.rows[0]!.phone).toBe("+336••••••78");
    const admin = await listRegistrations(db.db, staff.admin, { q: known.id });
    expect(admin.rows[0]!.phone).toBe("+33612345678");
  });

  it.each([
    ["the whole number", "+33612345678"],
    ["the national form", "06 12 34 56 78"],
    ["digits only", "33612345678"],
    ["a part of it", "612345"],
    ["the part a mask hides", "123456"],
    ["the visible ends of the mask", "+336…78"],
  ])("never lets product search by phone: %s", async (_, q) => {
    const page = await listRegistrations(db.db, staff.product, { q, country: "FR" });
    expect(page.rows).toEqual([]);
    expect(page.searchNote).toBe(PHONE_SEARCH_REFUSED);
    expect(await countRegistrations(db.db, staff.product, { q, country: "FR" })).toEqual({ value: 0, kind: "exact" });
    // The same search as admin finds the person (or says why not): the refusal is the role's.
    if (q === "+33612345678") expect((await listRegistrations(db.db, staff.admin, { q })).rows.map((r) => r.id)).toEqual([known.id]);
  });

  it("lets product search by id, e-mail and referral code", async () => {
    for (const q of [known.id, "known.person@example.com", known.referralCode.toLowerCase()]) {
      const page = await listRegistrations(db.db, staff.product, { q });
      expect({ q, ids: page.rows.map((r) => r.id) }).toEqual({ q, ids: [known.id] });
      expect(page.rows[0]!.phone).toBe("+336••••••78");
    }
  });

  it("counts waiting exactly from waitlist_counts and narrow filters exactly", async () => {
    expect(await countRegistrations(db.db, staff.admin, { status: "waiting" })).toEqual({ value: waiting.length, kind: "exact" });
    expect(await countRegistrations(db.db, staff.admin, { status: "removed" })).toEqual({ value: 4, kind: "exact" });
    expect(await countRegistrations(db.db, staff.admin, { status: "waiting", country: "BE" })).toEqual({ value: 33, kind: "exact" });
  });

  it("iterates the whole filtered set in chunks for the export", async () => {
    const chunks: RegistrationListRow[][] = [];
    for await (const chunk of iterateRegistrations(db.db, staff.admin, { status: "waiting" }, 40)) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([40, 40, 40, 11]);
    expect(chunks.flat().map((r) => r.position)).toEqual(waiting.map((_, i) => i + 1));
  });
});
