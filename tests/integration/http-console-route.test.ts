// consoleRoute (session-authenticated route handlers) and the audit, batches and waitlist CSV exports built on it.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { auditEvents, batches } from "../../db/schema";
import { recordAudit } from "../../lib/audit/record-audit";
import type { Actor } from "../../lib/auth/roles";

let testDb: TestDatabase;
const savedDatabaseUrl = process.env.DATABASE_URL;
let routes: typeof import("../../app/_server/console-route");
let csv: typeof import("../../app/(console)/audit/export/audit-csv");
let batchesCsv: typeof import("../../app/(console)/batches/export/batches-csv");
let waitlistCsv: typeof import("../../app/(console)/waitlist/export/waitlist-csv");
let admin: Actor;
let product: Actor;

beforeAll(async () => {
  testDb = await createTestDatabase();
  process.env.DATABASE_URL = testDb.url;
  vi.resetModules();
  routes = await import("../../app/_server/console-route");
  csv = await import("../../app/(console)/audit/export/audit-csv");
  batchesCsv = await import("../../app/(console)/batches/export/batches-csv");
  waitlistCsv = await import("../../app/(console)/waitlist/export/waitlist-csv");
  admin = await insertStaff(testDb.db, "admin");
  product = await insertStaff(testDb.db, "product");
  for (let i = 0; i < 25; i++) {
    await recordAudit(testDb.db, { actor: admin, action: i % 5 === 0 ? "phase.close" : "phase.update", targetType: "phase", targetId: `p${i}`, after: { note: i === 0 ? '=cmd|"/c calc"' : `n${i}` } });
  }
});
afterAll(async () => {
  const { closeDb } = await import("../../db/client");
  await closeDb();
  await testDb.drop();
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
});

const noParams = { params: Promise.resolve({}) };

describe("consoleRoute", () => {
  function guarded(staffId: string | null) {
    return routes.consoleRoute({ permission: "manage_staff", sessionStaffId: async () => staffId }, ({ actor }) => ({ role: actor.role }));
  }

  it("refuses a missing session (401) and a role without the permission (403)", async () => {
    expect((await guarded(null)(new Request("http://t/x"), noParams)).status).toBe(401);
    expect((await guarded(product.staffId)(new Request("http://t/x"), noParams)).status).toBe(403);
    const ok = await guarded(admin.staffId)(new Request("http://t/x"), noParams);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ role: "admin" });
  });
});

describe("audit CSV export", () => {
  async function exportCsv(query: string, staffId = product.staffId) {
    // The export route's own pieces, with the session injected instead of next-auth's.
    const GET = routes.consoleRoute({ permission: "view", query: csv.auditExportQuery, sessionStaffId: async () => staffId }, ({ db, actor, query }) =>
      csv.auditCsvResponse(db, actor, query, 7),
    );
    return GET(new Request(`http://t/audit/export?${query}`), noParams);
  }

  it("streams the whole filtered set across keyset pages, with formulas neutralised", async () => {
    const response = await exportCsv("action=phase.update");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("created_at,actor,action,target_type,target_id,before,after,request_id,id");
    expect(lines).toHaveLength(1 + 20);
    expect(new Set(lines.slice(1)).size).toBe(20);
    expect(lines.slice(1).every((l) => l.includes(",phase.update,phase,"))).toBe(true);

    const all = (await (await exportCsv("")).text()).trimEnd().split("\r\n");
    expect(all).toHaveLength(1 + 25);
    expect(all.some((l) => l.includes(`"{""note"":""=cmd|\\""/c calc\\""""}"`))).toBe(true);
  });

  it("answers a bad filter with a 400 problem", async () => {
    expect((await exportCsv("dir=sideways")).status).toBe(400);
  });
});

describe("batches CSV export", () => {
  async function exportCsv(query: string) {
    const GET = routes.consoleRoute({ permission: "view", query: batchesCsv.batchesExportQuery, sessionStaffId: async () => product.staffId }, ({ db, actor, query }) =>
      batchesCsv.batchesCsvResponse(db, actor, query, 4),
    );
    return GET(new Request(`http://t/batches/export?${query}`), noParams);
  }

  it("streams every batch the filters match across keyset pages, newest first", async () => {
    const growth = await insertStaff(testDb.db, "growth");
    for (let i = 0; i < 10; i++) {
      await testDb.db.insert(batches).values({
        kind: "admit_next",
        status: i < 3 ? "failed" : "completed",
        params: { count: i + 1 },
        requested: i + 1,
        createdBy: growth.staffId,
        idempotencyKey: `export-${i}`,
        requestHash: `hash-${i}`,
        createdAt: new Date(Date.UTC(2026, 10, 1, 12, i)),
      });
    }
    const response = await exportCsv("");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/gatehouse-batches-.*\.csv/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("created_at,created_by,kind,status,requested,selected,invited,notified,failed,truncated_reason,error,finished_at,id");
    expect(lines).toHaveLength(1 + 10);
    expect(lines[1]).toMatch(/^2026-11-01T12:09:00.000Z,growth-.*,admit_next,completed,10,/);
    expect(lines.at(-1)).toMatch(/^2026-11-01T12:00:00.000Z,.*,failed,1,/);

    const failed = (await (await exportCsv("status=failed")).text()).trimEnd().split("\r\n");
    expect(failed).toHaveLength(1 + 3);
    expect(failed.slice(1).every((l) => l.includes(",admit_next,failed,"))).toBe(true);
    expect((await exportCsv("status=nonsense")).status).toBe(400);
  });

  it("streams with the page size the route uses (no larger than the list allows)", async () => {
    const GET = routes.consoleRoute({ permission: "view", query: batchesCsv.batchesExportQuery, sessionStaffId: async () => product.staffId }, ({ db, actor, query }) =>
      batchesCsv.batchesCsvResponse(db, actor, query),
    );
    const lines = (await (await GET(new Request("http://t/batches/export"), noParams)).text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 10);
  });
});

describe("waitlist CSV export", () => {
  function exportCsv(query: string, staffId: string | null) {
    const GET = routes.consoleRoute({ permission: "view", query: waitlistCsv.waitlistExportQuery, sessionStaffId: async () => staffId }, ({ db, actor, query }) =>
      waitlistCsv.waitlistCsvResponse(db, actor, query, 3),
    );
    return GET(new Request(`http://t/waitlist/export?${query}`), noParams);
  }

  it("streams the filtered set with phones as the role may see them, and audits who exported what", async () => {
    const rows = [];
    for (let i = 0; i < 7; i++) rows.push(await insertRegistration(testDb.db, { platform: i < 5 ? "ios" : "android" }));
    const response = await exportCsv("status=waiting&platform=ios", product.staffId);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,status,position,phone,country,/);
    expect(lines).toHaveLength(1 + 5);
    // Product staff see masked phones only.
    for (const row of rows) expect(lines.join("\n")).not.toContain(row.phone!);

    const [audit] = await testDb.db.select().from(auditEvents).where(eq(auditEvents.action, "registration.export"));
    expect(audit).toMatchObject({ actorId: product.staffId, after: { format: "csv", filters: { status: "waiting", platform: "ios" } } });
  });

  it("refuses a missing session (401) and a bad filter (400) as problems", async () => {
    const signedOut = await exportCsv("", null);
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await exportCsv("status=sideways", product.staffId)).status).toBe(400);
  });
});
