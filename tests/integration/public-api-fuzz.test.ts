// Generated inputs against the public registration endpoints: whatever arrives — wrong types,
// odd phones, junk JSON, wrong content types, bad ids and tokens — the answer is never a 5xx,
// and every error is an RFC 9457 problem+json.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { callApi } from "../helpers/api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { freshIp, releaseTestServices, useTestServices } from "../helpers/public-api";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
const generous = { points: 1_000_000, duration: 60 };
beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({
    databaseUrl: t.url,
    redisUrl: testRedisUrl(),
    prefix,
    rateLimits: { registerPerIp: generous, registerPerPhone: generous, verifyPerIp: generous, verifyPerRegistration: generous, statusPerIp: generous, statusPerToken: generous },
  });
});
afterAll(async () => {
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

async function expectWellFormed(response: Response): Promise<void> {
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = await response.json();
    expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status: response.status, detail: expect.any(String) });
    if (problem.errors !== undefined) {
      for (const error of problem.errors) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });
    }
  } else {
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    await response.json();
  }
}

const phoneLike = fc.oneof(
  fc.string(),
  fc.stringMatching(/^\+?[0-9 ().-]{0,24}$/),
  fc.constantFrom("+33612345678", "06 12 34 56 78", "0033612345678", "+1 (201) 555-0123", "+88213000000", "", " ", "+", "00"),
);
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const registerPayload = fc.oneof(
  fc.record(
    {
      phone: fc.oneof(phoneLike, anyValue),
      country: fc.oneof(fc.constantFrom("FR", "fr", "US", "XX", "", "FRA"), anyValue),
      email: fc.oneof(fc.emailAddress(), fc.string(), anyValue),
      platform: fc.oneof(fc.constantFrom("android", "ios", "windows"), anyValue),
      locale: fc.oneof(fc.constantFrom("en", "fr", "zh", "de"), anyValue),
      referralCode: fc.oneof(fc.string({ maxLength: 40 }), anyValue),
      legacyAccountId: anyValue,
    },
    { requiredKeys: [] },
  ),
  // Valid enough to reach the database, with hostile extras.
  fc
    .tuple(
      fc.constantFrom("+33612345678", "+447400123456", "+12015550123"),
      fc.dictionary(fc.string({ maxLength: 12 }).map((k) => `legacy${k}`), anyValue, { maxKeys: 3 }),
      fc.oneof(fc.string({ maxLength: 40 }), fc.constant("AB\u0000CD")),
      fc.oneof(fc.string(), fc.constant("a\u0000@example.com")),
    )
    .map(([phone, extras, referralCode, email]) => ({ ...extras, phone, platform: "ios", referralCode, email })),
  fc.anything(),
);
const rawBody = fc.oneof(
  registerPayload.map((value) => ({ text: JSON.stringify(value) ?? "null", type: "application/json" })),
  fc.record({ text: fc.string(), type: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "") }),
  fc.record({ text: fc.constantFrom("{", "[1,", '{"phone":', "\u0000", "{}".repeat(20_000)), type: fc.constant("application/json") }),
);

function request(path: string, method: string, body?: { text: string; type: string }, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, {
    method,
    headers: { "x-forwarded-for": freshIp(), ...(body?.type ? { "content-type": body.type } : {}), ...headers },
    body: body?.text,
  });
}

describe("fuzzing the public endpoints", () => {
  it("POST /api/v1/registrations never answers 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        await expectWellFormed(await callApi(request("/api/v1/registrations", "POST", body)));
      }),
      { numRuns: 300 },
    );
  });

  it("POST /api/v1/registrations/{id}/verify never answers 5xx", async () => {
    const id = fc.oneof(fc.uuid(), fc.string(), fc.constantFrom("00000000-0000-0000-0000-000000000000", "me", "%00", "../x"));
    const code = fc.oneof(fc.stringMatching(/^\d{6}$/), anyValue);
    const body = fc.oneof(
      code.map((c) => ({ text: JSON.stringify({ code: c }), type: "application/json" })),
      rawBody,
    );
    await fc.assert(
      fc.asyncProperty(id, body, async (registrationId, payload) => {
        const response = await callApi(
          request(`/api/v1/registrations/${encodeURIComponent(registrationId)}/verify`, "POST", payload)
        );
        await expectWellFormed(response);
      }),
      { numRuns: 300 },
    );
  });

  it("GET /api/v1/registrations/me never answers 5xx", async () => {
    const authorization = fc.oneof(
      fc.string().filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
      fc.string().filter((s) => /^[\x21-\x7e]*$/.test(s)).map((s) => `Bearer ${s}`),
      fc.constantFrom("Bearer", "Bearer ", "Basic abc", "bearer gst_x"),
    );
    await fc.assert(
      fc.asyncProperty(authorization, async (header) => {
        await expectWellFormed(await callApi(request("/api/v1/registrations/me", "GET", undefined, { authorization: header })));
      }),
      { numRuns: 200 },
    );
  });
});
