// The public member endpoints through their route handlers: redeem → me → invite a friend →
// 409 quota-exhausted, problem+json errors, 401 without a member token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInvitationCode } from "../../lib/invitations/code";
import { issueInvitation } from "../../lib/invitations/issue";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { callApi } from "../helpers/api";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { openNotificationCode } from "../../lib/notifications/code-secret";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
let seq = 0;
const phone = () => `+3366${String(++seq).padStart(7, "0")}`;

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix, rateLimits: { redeemPerPhone: { points: 3, duration: 3600 } } });
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

describe("member API", () => {
  it("redeems, shows the member, invites friends until the quota is exhausted", async () => {
    const product = await insertStaff(t.db, "product");
    const phase = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "api-wave", name: "API wave", kind: "closed", memberInviteQuota: 1 })).id);
    const registration = await insertRegistration(t.db, { phone: phone() });
    const { code } = await t.db.transaction((tx) => issueInvitation(tx, { registration, phase, source: "staff" }));

    const wrong = await callApi(jsonRequest("/api/v1/invitations/redeem", { body: { code: formatInvitationCode(code), phone: phone() } }));
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get("content-type")).toBe("application/problem+json");

    const redeemed = await callApi(jsonRequest("/api/v1/invitations/redeem", { body: { code: formatInvitationCode(code), phone: registration.phone } }));
    expect(redeemed.status).toBe(200);
    const body = await redeemed.json();
    expect(body).toEqual({ memberId: expect.any(String), memberToken: expect.stringMatching(/^ghm_/), phase: { id: phase.id, slug: "api-wave", name: "API wave", kind: "closed" }, inviteQuota: 1 });

    const me = await callApi(jsonRequest("/api/v1/members/me", { token: body.memberToken }));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ memberId: body.memberId, inviteQuota: 1, invitations: [] });

    const friend = phone();
    const invited = await callApi(jsonRequest("/api/v1/members/me/invitations", { token: body.memberToken, body: { phone: friend.replace("+33", "0"), country: "FR" } }));
    expect(invited.status).toBe(201);
    const sent = await invited.json();
    expect(sent).toEqual({ invitationId: expect.any(String), expiresAt: expect.any(String), inviteQuota: 0 });
    // The code reaches the friend only through the message.
    const [note] = await t.sql<{ secret: string }[]>`select secret from notifications where invitation_id = ${sent.invitationId}`;
    const friendCode = openNotificationCode(note!.secret)!;
    expect(friendCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(JSON.stringify(sent)).not.toContain(friendCode);

    const exhausted = await callApi(jsonRequest("/api/v1/members/me/invitations", { token: body.memberToken, body: { phone: phone() } }));
    expect(exhausted.status).toBe(409);
    expect(await exhausted.json()).toMatchObject({ status: 409, type: expect.stringMatching(/\/quota-exhausted$/) });

    const after = await (await callApi(jsonRequest("/api/v1/members/me", { token: body.memberToken }))).json();
    expect(after.invitations).toEqual([expect.objectContaining({ invitationId: sent.invitationId, status: "pending", phone: expect.stringContaining("•") })]);
  });

  it("rate-limits redemption attempts per phone, whatever the address", async () => {
    const target = phone();
    const attempt = (ip: string) =>
      callApi(jsonRequest("/api/v1/invitations/redeem", { body: { code: "0000-0000-0000-0000", phone: target }, ip }));
    for (let i = 0; i < 3; i++) expect((await attempt(`203.0.113.${i + 1}`)).status).toBe(404);
    const limited = await attempt("203.0.113.99");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("answers 401 without or with a bad member token, and 400 on a bad body", async () => {
    expect((await callApi(jsonRequest("/api/v1/members/me"))).status).toBe(401);
    expect((await callApi(jsonRequest("/api/v1/members/me", { token: "ghm_nope" }))).status).toBe(401);
    const bad = await callApi(jsonRequest("/api/v1/members/me/invitations", { token: "ghm_nope", body: { phone: 12 } }));
    expect(bad.status).toBe(400);
    const garbage = await callApi(jsonRequest("/api/v1/invitations/redeem", { rawBody: "{not json" }));
    expect(garbage.status).toBe(400);
  });
});
