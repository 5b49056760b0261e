// API tokens belong to the staff member who creates them and act with that member's CURRENT role
// (SPEC §6): nobody mints a token that acts as someone else; a role change or a disable of the
// creator applies to the token's next request; every token expires (90 days by default) and an
// expired one is refused by the admin API. Every member lists and revokes their own tokens; only an
// admin reaches another member's, and to anyone else those do not exist (not_found).
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditEvents, type StaffRole } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { authenticateApiToken } from "../../lib/staff/api-tokens";
import { createApiToken } from "../../lib/staff/create-api-token";
import { listApiTokens, listOwnApiTokens } from "../../lib/staff/list-staff";
import { revokeApiToken } from "../../lib/staff/revoke-api-token";
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

describe("own API tokens: listing and revoking", () => {
  const revokeAudits = (tokenId: string) =>
    t.db.select().from(auditEvents).where(and(eq(auditEvents.action, "api_token.revoke"), eq(auditEvents.targetId, tokenId)));

  it("every member lists only their own tokens; the list of everyone's is an admin's", async () => {
    const support = await insertStaff(t.db, "support");
    const growth = await insertStaff(t.db, "growth");
    const mine = await createApiToken(t.db, support, { name: "support-tool" });
    const theirs = await createApiToken(t.db, growth, { name: "growth-scripts" });
    const own = await listOwnApiTokens(t.db, support);
    expect(own.map((row) => row.id)).toEqual([mine.row.id]);
    expect(own[0]).toMatchObject({ name: "support-tool", prefix: mine.row.prefix, ownerEmail: support.email, revokedAt: null, lastUsedAt: null });
    expect(own[0]).not.toHaveProperty("tokenHash");
    expect((await listOwnApiTokens(t.db, growth)).map((row) => row.id)).toEqual([theirs.row.id]);
    await expect(listApiTokens(t.db, support)).rejects.toMatchObject({ code: "forbidden" });
    expect((await listApiTokens(t.db, admin)).map((row) => row.id)).toEqual(expect.arrayContaining([mine.row.id, theirs.row.id]));
  });

  it.each<StaffRole>(["support", "growth", "product", "admin"])("a %s member revokes their own token: audited, refused from the next request", async (role) => {
    const member = await insertStaff(t.db, role);
    const { token, row } = await createApiToken(t.db, member, { name: `${role}-tool` });
    expect((await stats(token)).status).toBe(200);
    await revokeApiToken(t.db, member, row.id);
    expect((await stats(token)).status).toBe(401);
    const [audit, ...more] = await revokeAudits(row.id);
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ actorId: member.staffId, targetType: "api_token", after: { prefix: row.prefix } });
    expect((await listOwnApiTokens(t.db, member))[0]?.revokedAt).toBeInstanceOf(Date);
    // A second revoke finds no active token.
    await expect(revokeApiToken(t.db, member, row.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("a member who is not an admin cannot revoke another member's token, and learns nothing of it", async () => {
    const owner = await insertStaff(t.db, "growth");
    const { token, row } = await createApiToken(t.db, owner, { name: "growth-scripts" });
    for (const role of ["support", "growth", "product"] as const) {
      const other = await insertStaff(t.db, role);
      const refused = revokeApiToken(t.db, other, row.id);
      // The same answer as for a token that does not exist.
      await expect(refused, role).rejects.toMatchObject({ code: "not_found", message: "No such active token." });
    }
    await expect(revokeApiToken(t.db, owner, "6f1c7b4e-8a2d-4c1e-9b3f-2a1d0c9e8f7a")).rejects.toMatchObject({ code: "not_found", message: "No such active token." });
    expect(await revokeAudits(row.id)).toHaveLength(0);
    expect((await stats(token)).status).toBe(200);
  });

  it("an admin revokes another member's token, audited as the admin", async () => {
    const owner = await insertStaff(t.db, "support");
    const { token, row } = await createApiToken(t.db, owner, { name: "support-tool" });
    await revokeApiToken(t.db, admin, row.id);
    expect((await stats(token)).status).toBe(401);
    expect(await revokeAudits(row.id)).toEqual([expect.objectContaining({ actorId: admin.staffId, after: { prefix: row.prefix } })]);
  });
});
