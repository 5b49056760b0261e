// Rate limits on every public registration endpoint: per IP, per phone, per registration, per
// token; 429 problem+json with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { callApi } from "../helpers/api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { latestCode } from "../helpers/registrations";
import { freshIp, jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({
    databaseUrl: t.url,
    redisUrl: testRedisUrl(),
    prefix,
    rateLimits: {
      registerPerIp: { points: 4, duration: 60 },
      registerPerPhone: { points: 2, duration: 3600 },
      verifyPerRegistration: { points: 3, duration: 900 },
      statusPerToken: { points: 2, duration: 60 },
    },
  });
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

async function expectRateLimited(response: Response) {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(await response.json()).toMatchObject({ status: 429, type: expect.stringContaining("rate-limited") });
}

const post = (body: unknown, ip: string) => callApi(jsonRequest("/api/v1/registrations", { body, ip }));

describe("rate limits", () => {
  it("limits registrations per IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < 4; i++) expect((await post({ phone: uniqueMobile(), platform: "android" }, ip)).status).toBe(202);
    await expectRateLimited(await post({ phone: uniqueMobile(), platform: "android" }, ip));
    // Another address is unaffected.
    expect((await post({ phone: uniqueMobile(), platform: "android" }, freshIp())).status).toBe(202);
  });

  it("limits codes sent to one phone, whatever its format or address", async () => {
    const phone = uniqueMobile();
    expect((await post({ phone, platform: "android" }, freshIp())).status).toBe(202);
    expect((await post({ phone: `0${phone.slice(3)}`, country: "FR", platform: "android" }, freshIp())).status).toBe(202);
    await expectRateLimited(await post({ phone: phone.replace("+", "00"), platform: "android" }, freshIp()));
  });

  it("limits guesses per registration, across addresses", async () => {
    const registered = await (await post({ phone: uniqueMobile(), platform: "ios" }, freshIp())).json();
    const id = registered.registrationId as string;
    const guess = () => callApi(jsonRequest(`/api/v1/registrations/${id}/verify`, { body: { code: "000000" }, ip: freshIp() }));
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(400);
    await expectRateLimited(await guess());
    // Even the right code is refused while limited: no guessing through the limit.
    const right = await callApi(
      jsonRequest(`/api/v1/registrations/${id}/verify`, { body: { code: await latestCode(t.db, id) }, ip: freshIp() })
    );
    expect(right.status).toBe(429);
  });

  it("limits status reads per token", async () => {
    const registered = await (await post({ phone: uniqueMobile(), platform: "ios" }, freshIp())).json();
    const id = registered.registrationId as string;
    const verified = await (
      await callApi(jsonRequest(`/api/v1/registrations/${id}/verify`, { body: { code: await latestCode(t.db, id) } }))
    ).json();
    const read = () => callApi(jsonRequest("/api/v1/registrations/me", { token: verified.statusToken, ip: freshIp() }));
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);
    await expectRateLimited(await read());
  });
});
