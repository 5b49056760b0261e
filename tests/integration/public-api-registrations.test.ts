// The public registration API over HTTP semantics (route handlers called with Requests):
// the full flow, no enumeration, problem+json errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { callApi } from "../helpers/api";

import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { latestCode } from "../helpers/registrations";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

async function post(body: unknown, ip?: string) {
  return callApi(jsonRequest("/api/v1/registrations", { body, ip }));
}

describe("POST /api/v1/registrations → verify → /me", () => {
  it("walks the whole flow", async () => {
    const phone = uniqueMobile();
    const registered = await post({ phone: `0${phone.slice(3, 4)} ${phone.slice(4)}`, country: "FR", platform: "android", locale: "zh" });
    expect(registered.status).toBe(202);
    const registration = await registered.json();
    expect(registration).toEqual({ registrationId: expect.any(String), status: "pending_verification", verificationExpiresAt: expect.any(String) });
    const code = await latestCode(t.db, registration.registrationId);

    const verified = await callApi(
      jsonRequest(`/api/v1/registrations/${registration.registrationId}/verify`, { body: { code } })
    );
    expect(verified.status).toBe(200);
    const result = await verified.json();
    expect(result).toEqual({
      registrationId: registration.registrationId,
      status: "waiting",
      position: expect.any(Number),
      referralCode: expect.stringMatching(/^[0-9A-Z]{8}$/),
      statusToken: expect.stringMatching(/^gst_/),
      // No active phase in this database: no basis for an estimate.
      estimatedAdmissionAt: null,
    });

    const me = await callApi(jsonRequest("/api/v1/registrations/me", { token: result.statusToken }));
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      registrationId: registration.registrationId,
      status: "waiting",
      position: result.position,
      referralCode: result.referralCode,
      referrals: 0,
      invitation: null,
      estimatedAdmissionAt: null,
    });
  });

  it("answers a known phone exactly like a new one (no enumeration)", async () => {
    const known = uniqueMobile();
    const first = await post({ phone: known, platform: "ios" });
    const { registrationId } = await first.json();
    await callApi(
      jsonRequest(`/api/v1/registrations/${registrationId}/verify`, { body: { code: await latestCode(t.db, registrationId) } })
    );
    const answers = [await post({ phone: uniqueMobile(), platform: "ios" }), await post({ phone: known, platform: "ios" })];
    const shapes = await Promise.all(
      answers.map(async (response) => ({
        status: response.status,
        contentType: response.headers.get("content-type"),
        // Values differ per registration; everything else must be identical, byte for byte.
        body: (await response.text())
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
          .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, "<time>"),
      })),
    );
    expect(shapes[0]).toEqual(shapes[1]);
    expect(shapes[0]!.status).toBe(202);
  });

  it("refuses bad input with problem+json and field paths", async () => {
    const response = await post({ phone: "01 42 68 53 00", country: "FR", platform: "windows" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = await response.json();
    expect(problem).toMatchObject({ type: expect.stringContaining("validation"), title: expect.any(String), status: 400, detail: expect.any(String) });
    expect(problem.errors).toContainEqual(expect.objectContaining({ path: "platform" }));

    const landline = await post({ phone: "01 42 68 53 00", country: "FR", platform: "android" });
    expect(landline.status).toBe(400);
    expect((await landline.json()).errors).toEqual([{ path: "phone", message: expect.stringMatching(/mobile/) }]);

    const badId = await callApi(jsonRequest("/api/v1/registrations/nope/verify", { body: { code: "123456" } }));
    expect(badId.status).toBe(400);
    expect((await badId.json()).errors).toEqual([{ path: "params.id", message: expect.any(String) }]);

    const unknown = "00000000-0000-4000-8000-000000000000";
    const wrong = await callApi(jsonRequest(`/api/v1/registrations/${unknown}/verify`, { body: { code: "123456" } }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors).toEqual([{ path: "code", message: expect.any(String) }]);

    const noToken = await callApi(jsonRequest("/api/v1/registrations/me"));
    expect(noToken.status).toBe(401);
    const badToken = await callApi(jsonRequest("/api/v1/registrations/me", { token: "gst_nothing" }));
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get("content-type")).toBe("application/problem+json");
  });
});
