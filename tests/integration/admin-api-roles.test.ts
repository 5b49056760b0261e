// Role rules for every admin API endpoint: each role allowed where SPEC §3.8 says yes and refused
// (403 problem, nothing written) where it says no; bearer tokens act with the CURRENT role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "../../db/schema";
import { closeProducer } from "../../jobs/producer";
import { issueInvitation } from "../../lib/invitations/issue";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { getPhase } from "../../lib/phases/get-phase";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
const roles: StaffRole[] = ["admin", "growth", "support", "product"];
const tokens = {} as Record<StaffRole, string>;
let phoneSeq = 0;
const phone = () => `+3362${String(++phoneSeq).padStart(7, "0")}`;
let keySeq = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  for (const role of roles) {
    const email = `${role}@roles.test`;
    await createStaffUser(t.db, null, { email, role });
    tokens[role] = (await createApiToken(t.db, null, { email })).token;
  }
  const product = await insertStaff(t.db, "product");
  const wave = await createPhase(t.db, product, { slug: "wave", name: "Wave", kind: "closed" });
  await activatePhase(t.db, product, wave.id);
});
afterAll(async () => {
  await closeProducer();
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

async function auditCount(): Promise<number> {
  const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from audit_events`;
  return row!.n;
}

interface Call {
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

async function call(role: StaffRole | null, c: Call): Promise<Response> {
  const request = jsonRequest(c.path, { method: c.method, body: c.body, token: role ? tokens[role] : undefined });
  for (const [k, v] of Object.entries(c.headers ?? {})) request.headers.set(k, v);
  return callApi(request);
}

/** Calls the endpoint as every role: allowed roles must pass the gate, the others get a clean 403 and write nothing. */
async function expectRoles(allowed: StaffRole[], make: (role: StaffRole) => Promise<Call> | Call, expectedStatus?: number) {
  for (const role of roles) {
    const c = await make(role);
    const before = await auditCount();
    const response = await call(role, c);
    if (allowed.includes(role)) {
      if (expectedStatus) expect({ role, path: c.path, status: response.status }).toEqual({ role, path: c.path, status: expectedStatus });
      else expect(response.status, `${role} ${c.path}`).toBeLessThan(300);
    } else {
      expect({ role, path: c.path, status: response.status }).toEqual({ role, path: c.path, status: 403 });
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await auditCount()).toBe(before);
    }
  }
}

const waiting = async () => (await insertRegistration(t.db, { phone: phone() })).id;
async function invited() {
  const registration = await insertRegistration(t.db, { phone: phone() });
  const [phase] = await t.sql<{ id: string }[]>`select id from phases where status = 'active'`;
  await t.db.transaction(async (tx) => issueInvitation(tx, { registration, phase: await getPhase(tx, phase!.id), source: "staff" }));
  return registration.id;
}
const expired = async () => (await insertRegistration(t.db, { phone: phone(), status: "expired" })).id;

const viewers: StaffRole[] = ["admin", "growth", "support", "product"];
const batchers: StaffRole[] = ["admin", "growth"];
const supporters: StaffRole[] = ["admin", "growth", "support"];
const phasers: StaffRole[] = ["admin", "product"];

describe("admin API authentication", () => {
  it("answers 401 problem+json without a token or with an unknown one", async () => {
    const none = await call(null, { path: "/api/admin/v1/stats" });
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe("application/problem+json");
    const bad = await callApi(jsonRequest("/api/admin/v1/stats", { token: "ghs_nope" }));
    expect(bad.status).toBe(401);
  });
});

describe("admin API role rules", () => {
  it("stats, lists and details: every role", async () => {
    await expectRoles(viewers, () => ({ path: "/api/admin/v1/stats" }), 200);
    await expectRoles(viewers, () => ({ path: "/api/admin/v1/batches" }), 200);
    await expectRoles(viewers, () => ({ path: "/api/admin/v1/registrations?status=waiting&limit=5" }), 200);
    await waiting();
    await waiting();
    const first = await (await call("growth", { path: "/api/admin/v1/registrations?status=waiting&limit=1" })).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = await (await call("growth", { path: `/api/admin/v1/registrations?status=waiting&limit=1&cursor=${first.nextCursor}` })).json();
    expect(next.items[0].id).not.toBe(first.items[0].id);
    const id = await waiting();
    await expectRoles(viewers, () => ({ path: `/api/admin/v1/registrations/${id}` }), 200);
    await expectRoles(viewers, () => ({ path: "/api/admin/v1/phases" }), 200);
  });

  it("product sees phones masked, the others in full", async () => {
    const id = await waiting();
    const full = await (await call("support", { path: `/api/admin/v1/registrations/${id}` })).json();
    const masked = await (await call("product", { path: `/api/admin/v1/registrations/${id}` })).json();
    expect(full.registration.phone).toMatch(/^\+\d+$/);
    expect(masked.registration.phone).toContain("•");
  });

  it("batches: create (with Idempotency-Key) and cancel for admin and growth only", async () => {
    await expectRoles(batchers, () => ({ path: "/api/admin/v1/batches", body: { kind: "admit_next", size: 1, dryRun: true } }), 200);
    await expectRoles(
      batchers,
      () => ({
        path: "/api/admin/v1/batches",
        body: { kind: "admit_next", size: 1 },
        headers: { "idempotency-key": `roles-${++keySeq}-abcdefgh` },
      }),
      201,
    );
    const batches = await t.sql<{ id: string }[]>`select id from batches`;
    await expectRoles(viewers, () => ({ path: `/api/admin/v1/batches/${batches[0]!.id}` }), 200);
    await expectRoles(batchers, async () => {
      const created = await call("admin", {
        path: "/api/admin/v1/batches",
        body: { kind: "member_quota", amount: 1 },
        headers: { "idempotency-key": `roles-cancel-${++keySeq}` },
      });
      const { batch } = await created.json();
      await t.sql`update batches set status = 'running' where id = ${batch.id}`;
      return { method: "POST", path: `/api/admin/v1/batches/${batch.id}/cancel` };
    }, 200);
  });

  it("registration actions: support may act, product may not; boost is for growth and admin", async () => {
    await expectRoles(supporters, async () => {
      const id = await waiting();
      return { path: `/api/admin/v1/registrations/${id}/hold`, body: { reason: "looks odd" } };
    }, 200);
    await expectRoles(supporters, async () => {
      const id = await waiting();
      await t.sql`update registrations set review = 'hold' where id = ${id}`;
      return { method: "POST", path: `/api/admin/v1/registrations/${id}/clear` };
    }, 200);
    await expectRoles(supporters, async () => {
      const id = await waiting();
      return { path: `/api/admin/v1/registrations/${id}/remove`, body: { reason: "duplicate person" } };
    });
    await expectRoles(supporters, async () => {
      const id = await waiting();
      return { path: `/api/admin/v1/registrations/${id}/block`, body: { reason: "sms pumping" } };
    });
    await expectRoles(supporters, async () => {
      const id = await expired();
      return { method: "POST", path: `/api/admin/v1/registrations/${id}/reactivate` };
    }, 200);
    await expectRoles(supporters, async () => {
      const id = await invited();
      return { method: "POST", path: `/api/admin/v1/registrations/${id}/resend` };
    }, 200);
    await expectRoles(supporters, async () => {
      const id = await invited();
      return { method: "POST", path: `/api/admin/v1/registrations/${id}/revoke` };
    }, 200);
    await expectRoles(batchers, async () => {
      const id = await waiting();
      return { path: `/api/admin/v1/registrations/${id}/boost`, body: { points: 3, reason: "partner launch", category: "partner" } };
    });
  });

  it("phases: create, edit, schedule, activate, close for admin and product only", async () => {
    await expectRoles(phasers, (role) => ({
      path: "/api/admin/v1/phases",
      body: { slug: `roles-${role}-${++keySeq}`, name: "Role wave", kind: "closed" },
    }), 201);
    const [draft] = await t.sql<{ id: string }[]>`select id from phases where status = 'draft' limit 1`;
    const id = draft!.id;
    await expectRoles(viewers, () => ({ path: `/api/admin/v1/phases/${id}` }), 200);
    await expectRoles(phasers, () => ({ method: "PATCH", path: `/api/admin/v1/phases/${id}`, body: { capacity: 1000 } }), 200);
    await expectRoles(phasers, () => ({ path: `/api/admin/v1/phases/${id}/schedule`, body: { startsAt: "2030-01-01T00:00:00Z" } }), 200);
    await expectRoles(phasers, async () => {
      const [p] = await t.sql<{ id: string }[]>`insert into phases (slug, name, kind) values (${`act-${++keySeq}`}, 'A', 'closed') returning id`;
      return { method: "POST", path: `/api/admin/v1/phases/${p!.id}/activate` };
    }, 200);
    await expectRoles(phasers, async () => {
      const [p] = await t.sql<{ id: string }[]>`insert into phases (slug, name, kind) values (${`close-${++keySeq}`}, 'C', 'closed') returning id`;
      return { method: "POST", path: `/api/admin/v1/phases/${p!.id}/close` };
    }, 200);
  });

  it("applies a role change on the token's next request", async () => {
    const [row] = await t.sql<{ id: string }[]>`select id from staff_users where email = 'support@roles.test'`;
    const id = await waiting();
    const c = { path: `/api/admin/v1/registrations/${id}/hold`, body: { reason: "checking" } };
    await t.sql`update staff_users set role = 'product' where id = ${row!.id}`;
    expect((await call("support", c)).status).toBe(403);
    await t.sql`update staff_users set role = 'support' where id = ${row!.id}`;
    expect((await call("support", c)).status).toBe(200);
  });
});
