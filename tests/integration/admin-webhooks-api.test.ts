// The admin API of webhook endpoints (SPEC §6): admins register, list and remove endpoints; the
// signing secret is answered once and stored only sealed; every change is audited; other roles
// get a 403 and change nothing.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "../../db/schema";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
const tokens = {} as Record<StaffRole, string>;

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  for (const role of ["admin", "growth", "support", "product"] as const) {
    await createStaffUser(t.db, null, { email: `${role}@webhooks.test`, role });
    tokens[role] = (await createApiToken(t.db, null, { email: `${role}@webhooks.test` })).token;
  }
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

const call = (role: StaffRole, path: string, options: { method?: string; body?: unknown } = {}) =>
  callApi(jsonRequest(`/api/admin/v1${path}`, { ...options, token: tokens[role] }));

const auditActions = async () =>
  (await t.db.execute<{ action: string; after: unknown; before: unknown }>(sql`select action, before, after from audit_events where target_type = 'webhook_endpoint' order by id`)).map(
    (r) => r,
  );

describe("admin API: webhook endpoints", () => {
  it("creates an endpoint and answers its whsec_ secret once; the list never shows it", async () => {
    const body = { url: "https://app.example.com/hooks/gatehouse", events: ["member.admitted", "invitation.sent", "member.admitted"], description: "App back end" };
    const created = await call("admin", "/webhooks", { body });
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    expect(endpoint).toMatchObject({
      id: expect.any(String),
      url: body.url,
      events: ["member.admitted", "invitation.sent"],
      includePhone: false,
      description: "App back end",
      status: "enabled",
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpoint.secret.slice(6), "base64")).toHaveLength(32);

    const [stored] = await t.db.execute<{ secret_sealed: string }>(sql`select secret_sealed from webhook_endpoints where id = ${endpoint.id}`);
    expect(stored!.secret_sealed).not.toContain(endpoint.secret.slice(6));

    const list = await (await call("admin", "/webhooks")).json();
    expect(list.items.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(list)).not.toContain(endpoint.secret.slice(6));
    expect(list.items[0]).not.toHaveProperty("secret");

    const audits = await auditActions();
    expect(audits.at(-1)).toMatchObject({ action: "webhook.create", after: { url: body.url, events: ["member.admitted", "invitation.sent"], includePhone: false } });
    expect(JSON.stringify(audits)).not.toContain(endpoint.secret.slice(6));
  });

  it("refuses an invalid endpoint with field errors", async () => {
    for (const [body, path] of [
      [{ url: "ftp://example.com/x", events: ["member.admitted"] }, "url"],
      [{ url: "not a url", events: ["member.admitted"] }, "url"],
      [{ url: "https://example.com/x", events: [] }, "events"],
      [{ url: "https://example.com/x", events: ["member.left"] }, "events.0"],
    ] as const) {
      const response = await call("admin", "/webhooks", { body });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it("removes an endpoint (204, audited); a second removal is a 404", async () => {
    const { id } = await (await call("admin", "/webhooks", { body: { url: "https://example.com/gone", events: ["batch.completed"], includePhone: true } })).json();
    const removed = await call("admin", `/webhooks/${id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe("");
    expect((await auditActions()).at(-1)).toMatchObject({ action: "webhook.delete", before: { url: "https://example.com/gone", includePhone: true } });
    const again = await call("admin", `/webhooks/${id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect((await again.json()).type).toBe("https://gatehouse.dev/problems/not-found");
  });

  it("is for admins only: other roles get a 403 and change nothing", async () => {
    const before = (await auditActions()).length;
    const [{ id }] = (await (await call("admin", "/webhooks")).json()).items;
    for (const role of ["growth", "support", "product"] as const) {
      for (const [path, options] of [
        ["/webhooks", {}],
        ["/webhooks", { body: { url: "https://example.com/x", events: ["member.admitted"] } }],
        [`/webhooks/${id}`, { method: "DELETE" }],
      ] as const) {
        const response = await call(role, path, options);
        expect({ role, path, status: response.status }).toEqual({ role, path, status: 403 });
      }
    }
    expect((await auditActions()).length).toBe(before);
    expect((await (await call("admin", "/webhooks")).json()).items).toHaveLength(1);
  });
});
