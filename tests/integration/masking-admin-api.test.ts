// Masked means masked everywhere (SPEC §3.8), the HTTP API half: one row per operation of the
// route registry that product can reach (every GET, and every mutation product may make) — a
// route added without a row fails the first test. Known numbers are seeded everywhere a phone can
// live (tests/helpers/masking.ts); every answer product gets must reveal none of them in any
// format, and phone fields carry the masked string. The console pages and CSV exports are the
// other half (tests/e2e/masking-console.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeRegistry } from "../../app/_server/routes/registry";
import type { RouteDefinition } from "../../app/_server/routes/define-route";
import { can, maskPhone } from "../../lib/auth/roles";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { revealedNumbers, seedKnownNumbers, type MaskingSeed } from "../helpers/masking";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";

let t: TestDatabase;
let seed: MaskingSeed;
let token: string;
const prefix = uniqueQueuePrefix();

interface Call {
  path: string;
  method?: string;
  body?: unknown;
}

/**
 * What product may read through each operation. `calls` are made as product and must answer
 * below 300 and reveal no seeded number; `masked` names numbers whose masked form the answers
 * must carry. `forbidden`: product is refused (403). `none`: not a staff surface, with the reason.
 */
type Row =
  | { calls: (s: MaskingSeed) => Call[]; masked?: (s: MaskingSeed) => string[] }
  | { forbidden: (s: MaskingSeed) => Call }
  | { none: string };

const table: Record<string, Row> = {
  listBatches: { calls: () => [{ path: "/api/admin/v1/batches" }], masked: (s) => [s.named.targeted, s.named.unknown] },
  getBatch: { calls: (s) => [{ path: `/api/admin/v1/batches/${s.batchId}` }], masked: (s) => [s.named.targeted, s.named.invited, s.named.unknown] },
  listRegistrations: {
    calls: () => [
      { path: "/api/admin/v1/registrations?limit=200" },
      { path: "/api/admin/v1/registrations?status=waiting&limit=200" },
      { path: "/api/admin/v1/registrations?status=removed&limit=200" },
    ],
    masked: (s) => [s.named.waiting, s.named.admitted, s.named.friend],
  },
  getRegistration: { calls: (s) => s.registrationIds.map((id) => ({ path: `/api/admin/v1/registrations/${id}` })), masked: (s) => [s.named.invited, s.named.removed] },
  listPhases: { calls: () => [{ path: "/api/admin/v1/phases" }] },
  getPhase: {
    calls: (s) => [{ path: `/api/admin/v1/phases/${s.allowListPhaseId}` }, { path: `/api/admin/v1/phases/${s.activePhase.id}` }],
    masked: (s) => [s.named.allowListed],
  },
  getStats: { calls: () => [{ path: "/api/admin/v1/stats" }] },
  // Product manages phases: what the changes answer is read too.
  createPhase: {
    calls: (s) => [{ path: "/api/admin/v1/phases", body: { slug: `masked-${s.batchId.slice(0, 8)}`, name: "Masked", kind: "internal", allowedPhones: [s.named.waiting] } }],
  },
  updatePhase: { calls: (s) => [{ method: "PATCH", path: `/api/admin/v1/phases/${s.allowListPhaseId}`, body: { allowedPhones: [s.named.allowListed, s.named.waiting] } }] },
  schedulePhase: { calls: (s) => [{ path: `/api/admin/v1/phases/${s.allowListPhaseId}/schedule`, body: { startsAt: new Date(Date.now() + 86_400_000).toISOString() } }] },
  // Activating would close the seeded active phase; its answer is the same Phase shape as the others.
  activatePhase: { calls: () => [] },
  closePhase: { calls: (s) => [{ method: "POST", path: `/api/admin/v1/phases/${s.allowListPhaseId}/close` }] },
  listWebhookEndpoints: { forbidden: () => ({ path: "/api/admin/v1/webhooks" }) },
  getMyRegistration: { none: "the mobile app's own registration (status token): the person's own data" },
  getMe: { none: "the mobile app's own member (member token): the person's own data" },
  health: { none: "operators' probe: no personal data" },
  liveness: { none: "operators' probe: no personal data" },
  metrics: { none: "operators' Prometheus counters (bearer METRICS_TOKEN): no personal data" },
  publicOpenApi: { none: "the public API's document" },
  adminOpenApi: { none: "the admin API's document" },
};

/** Every operation product can reach, or that reads (GET): each needs a row. */
function reachable(route: RouteDefinition): boolean {
  return route.method === "GET" || (route.permission !== undefined && can("product", route.permission));
}

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  seed = await seedKnownNumbers(t.db);
  await createStaffUser(t.db, null, { email: "product@masking.test", role: "product" });
  token = (await createApiToken(t.db, null, { email: "product@masking.test" })).token;
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

async function asProduct(call: Call): Promise<{ status: number; text: string }> {
  const response = await callApi(jsonRequest(call.path, { method: call.method, body: call.body, token }));
  return { status: response.status, text: await response.text() };
}

describe("masked everywhere: the HTTP API as product", () => {
  it("has a row for every operation product can reach", () => {
    const ids = routeRegistry.filter(reachable).map((r) => r.id);
    expect(ids.filter((id) => !(id in table)), "operations without a masking row").toEqual([]);
    expect(Object.keys(table).filter((id) => !ids.includes(id)), "rows for operations that no longer exist").toEqual([]);
  });

  it("the seed put every number where the admin sees it in full", async () => {
    const response = await callApi(jsonRequest(`/api/admin/v1/batches/${seed.batchId}`, { token: (await createApiToken(t.db, null, { email: seed.admin.email })).token }));
    const text = await response.text();
    // The batch list and its failures hold the numbers as typed: the test would see a leak.
    expect(revealedNumbers(text, seed.numbers).length).toBeGreaterThan(0);
  });

  it.each(Object.entries(table))("%s reveals no seeded number", async (_id, row) => {
    if ("none" in row) return;
    if ("forbidden" in row) {
      expect((await asProduct(row.forbidden(seed))).status).toBe(403);
      return;
    }
    let all = "";
    for (const call of row.calls(seed)) {
      const { status, text } = await asProduct(call);
      expect({ call: call.path, status }).toEqual({ call: call.path, status: expect.any(Number) });
      expect(status, `${call.method ?? "GET"} ${call.path}: ${text.slice(0, 300)}`).toBeLessThan(300);
      expect(revealedNumbers(text, seed.numbers), `${call.method ?? "GET"} ${call.path}`).toEqual([]);
      all += text;
    }
    for (const number of row.masked?.(seed) ?? []) expect(all).toContain(maskPhone(number)!);
  });

  it("product searches the registrations by id, e-mail or referral code, never by phone", async () => {
    const number = seed.named.waiting;
    for (const q of [number!, number!.slice(1), number!.slice(4, 10), `0${number!.slice(3)}`]) {
      const response = await asProduct({ path: `/api/admin/v1/registrations?q=${encodeURIComponent(q)}` });
      expect(response.status).toBe(200);
      expect({ q, items: JSON.parse(response.text).items }).toEqual({ q, items: [] });
    }
    const byId = await asProduct({ path: `/api/admin/v1/registrations?q=${seed.registrationIds[0]}` });
    expect(JSON.parse(byId.text).items.map((r: { id: string; phone: string }) => [r.id, r.phone])).toEqual([[seed.registrationIds[0], maskPhone(number!)]]);
  });
});
