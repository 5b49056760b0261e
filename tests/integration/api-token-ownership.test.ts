// API tokens belong to the staff member who creates them and act with that member's CURRENT role
// (SPEC §6): nobody mints a token that acts as someone else; a role change or a disable of the
// creator applies to the token's next request; every token expires (90 days by default) and an
// expired one is refused by the admin API.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { authenticateApiToken } from "../../lib/staff/api-tokens";
import { createApiToken } from "../../lib/staff/create-api-token";
import { setStaffDisabled } from "../../lib/staff/set-staff-disabled";
import { setStaffRole } from "../../lib/staff/set-staff-role";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";
import { releaseTestServices, useTestServices } from "../helpers/public-api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";

let t: TestDatabase;
let admin: Actor;
const prefix = uniqueQueuePrefix();

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  admin = await insertStaff(t.db, "admin");
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

const stats = (token: string) => callApi(new Request("http://gatehouse.test/api/admin/v1/stats", { headers: { authorization: `Bearer ${token}` } }));
const day = 86_400_000;

describe("API token ownership", () => {
  it("refuses to mint a token that acts as another staff member, even for an admin", async () => {
    const growth = await insertStaff(t.db, "growth");
    await expect(createApiToken(t.db, admin, { email: growth.email, name: "impersonation" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await t.db.select().from(apiTokens).where(eq(apiTokens.staffId, growth.staffId))).toHaveLength(0);
    // Naming oneself is fine (any case), and every member may create their own.
    const own = await createApiToken(t.db, admin, { email: admin.email.toUpperCase(), name: "mine" });
    expect(own.row.staffId).toBe(admin.staffId);
    const growthOwn = await createApiToken(t.db, growth, { name: "growth-scripts" });
    expect(growthOwn.row.staffId).toBe(growth.staffId);
    expect(await authenticateApiToken(t.db, growthOwn.token)).toMatchObject({ staffId: growth.staffId, role: "growth" });
  });

  it("acts with the creator's current role: a role change and a disable apply to the next request", async () => {
    const growth = await insertStaff(t.db, "growth");
    const { token } = await createApiToken(t.db, growth, { name: "dashboards" });
    expect((await stats(token)).status).toBe(200);
    expect(await authenticateApiToken(t.db, token)).toMatchObject({ role: "growth" });

    await setStaffRole(t.db, admin, growth.staffId, "product");
    expect(await authenticateApiToken(t.db, token)).toMatchObject({ staffId: growth.staffId, role: "product" });
    // A batch needs growth or admin: the demoted creator's token is refused.
    const batch = await callApi(
      new Request("http://gatehouse.test/api/admin/v1/batches", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": "token-role-1" },
        body: JSON.stringify({ kind: "admit_next", size: 1, dryRun: true }),
      }),
    );
    expect(batch.status).toBe(403);

    await setStaffDisabled(t.db, admin, { staffId: growth.staffId, disabled: true });
    expect(await authenticateApiToken(t.db, token)).toBeNull();
    expect((await stats(token)).status).toBe(401);
  });

  it("expires after 90 days by default; an expired token is refused", async () => {
    const support = await insertStaff(t.db, "support");
    const cli = await createApiToken(t.db, null, { email: support.email, name: "cli" });
    const lifetime = cli.row.expiresAt.getTime() - cli.row.createdAt.getTime();
    expect(Math.abs(lifetime - 90 * day)).toBeLessThan(60_000);
    const short = await createApiToken(t.db, support, { name: "one-day", expiresInDays: 1 });
    expect(Math.abs(short.row.expiresAt.getTime() - short.row.createdAt.getTime() - day)).toBeLessThan(60_000);
    await expect(createApiToken(t.db, support, { name: "forever", expiresInDays: 3650 })).rejects.toThrow(/365/);

    expect((await stats(short.token)).status).toBe(200);
    await t.sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${short.row.id}`;
    expect(await authenticateApiToken(t.db, short.token)).toBeNull();
    const refused = await stats(short.token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toMatch(/problem\+json/);
    expect(await authenticateApiToken(t.db, cli.token)).toMatchObject({ staffId: support.staffId });
  });

  it("the column refuses a token without an expiry", async () => {
    const owner = await insertStaff(t.db, "support");
    const attempt = t.sql`insert into api_tokens (staff_id, name, token_hash, prefix) values (${owner.staffId}, 'never', 'x', 'ghs_x')`;
    await expect(attempt).rejects.toMatchObject({ code: "23502" });
  });
});
