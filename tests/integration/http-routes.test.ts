// The route wrappers against a real database: parsing of hostile input, problem+json mapping,
// API-token authentication with the token owner's current role.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";
import { staffUsers } from "../../db/schema";
import { createApiToken } from "../../lib/staff/create-api-token";
import { revokeApiToken } from "../../lib/staff/revoke-api-token";
import type { RouteDefinition } from "../../app/_server/routes/define-route";

let testDb: TestDatabase;
const savedDatabaseUrl = process.env.DATABASE_URL;
let routes: typeof import("../../app/_server/routes/define-route");
let http: typeof import("../../lib/http/request");
let log: typeof import("../../lib/log");
// Loaded after resetModules, so `instanceof` matches the class the wrappers see.
let AppError: typeof import("../../lib/errors").AppError;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // The wrappers use the process-wide getDb(), which reads DATABASE_URL on first use.
  process.env.DATABASE_URL = testDb.url;
  vi.resetModules();
  routes = await import("../../app/_server/routes/define-route");
  http = await import("../../lib/http/request");
  log = await import("../../lib/log");
  ({ AppError } = await import("../../lib/errors"));
});

afterAll(async () => {
  const { closeDb } = await import("../../db/client");
  await closeDb();
  await testDb.drop();
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
});

/** The documentation fields every definition carries, so each test states only what it tests. */
const doc = { id: "testOperation", method: "POST" as const, path: "/api/v1/things", summary: "A test operation", tags: ["test"], responses: {} };

/** Runs a definition as the front server would, from a fetch Request. */
async function serve(definition: RouteDefinition, request: Request, params: Record<string, string> = {}): Promise<Response> {
  const url = new URL(request.url);
  const answer = await definition.run(
    {
      method: request.method,
      url: url.pathname + url.search,
      headers: request.headers,
      clientAddress: "203.0.113.9",
      requestId: http.requestIdFrom(request.headers),
      readBody: (maxBytes) => http.readRequestBody(request, maxBytes),
    },
    params,
  );
  return new Response(answer.body === "" ? null : answer.body, { status: answer.status, headers: answer.headers });
}

const registerBody = z.object({ phone: z.string().min(5), platform: z.enum(["android", "ios"]) });

function post(body: string | undefined, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  return new Request("http://test.local/api/v1/things", { method: "POST", body, headers });
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] };
}

describe("publicRoute", () => {
  const echoRoute = () => routes.publicRoute({ ...doc, body: registerBody }, ({ body }) => ({ received: body }));
  const echo = () => (request: Request) => serve(echoRoute(), request);

  it("parses a valid JSON body and answers 200 JSON with a request id", async () => {
    const response = await echo()(post(JSON.stringify({ phone: "+33612345678", platform: "ios" })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: { phone: "+33612345678", platform: "ios" } });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echoes a sane incoming X-Request-Id and replaces an unsafe one", async () => {
    const good = await echo()(post("{}", { "content-type": "application/json", "x-request-id": "trace-12345678" }));
    expect(good.headers.get("x-request-id")).toBe("trace-12345678");
    const bad = await echo()(post("{}", { "content-type": "application/json", "x-request-id": "<script>" }));
    expect(bad.headers.get("x-request-id")).not.toBe("<script>");
  });

  it("answers malformed JSON with a 400 problem", async () => {
    const response = await echo()(post('{"phone": "+336'));
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("https://gatehouse.dev/problems/invalid-json");
    expect(problem.status).toBe(400);
  });

  it("answers a non-JSON content type with 415", async () => {
    const response = await echo()(post("phone=1", { "content-type": "application/x-www-form-urlencoded" }));
    expect(response.status).toBe(415);
    expect((await problemOf(response)).type).toBe("https://gatehouse.dev/problems/unsupported-media-type");
  });

  it("answers an oversize body with 413, by Content-Length and while streaming without one", async () => {
    const big = JSON.stringify({ phone: "x".repeat(40_000), platform: "ios" });
    const declared = await echo()(post(big));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const undeclared = new Request("http://test.local/x", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(undeclared.headers.get("content-length")).toBeNull();
    const response = await echo()(undeclared);
    expect(response.status).toBe(413);
    expect((await problemOf(response)).type).toBe("https://gatehouse.dev/problems/payload-too-large");
  });

  it("answers wrong types with a 400 problem listing each field by dotted path", async () => {
    const response = await echo()(post(JSON.stringify({ phone: 42, platform: "windows" })));
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("https://gatehouse.dev/problems/validation-error");
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["phone", "platform"]);
    const nested = routes.publicRoute({ ...doc, body: z.object({ a: z.object({ b: z.array(z.number()) }) }) }, () => ({}));
    const nestedProblem = await problemOf(await serve(nested, post(JSON.stringify({ a: { b: [1, "x"] } }))));
    expect(nestedProblem.errors).toEqual([{ path: "a.b.1", message: expect.any(String) }]);
  });

  it("treats an empty body as missing (400 when the schema needs one), never a crash", async () => {
    const response = await echo()(post(undefined, {}));
    expect(response.status).toBe(400);
    expect((await problemOf(response)).type).toBe("https://gatehouse.dev/problems/validation-error");
  });

  it("parses JSON that is valid but not an object (null, array, number) into a 400", async () => {
    for (const body of ["null", "[]", "7", '"text"']) {
      const response = await echo()(post(body));
      expect(response.status, body).toBe(400);
    }
  });

  it("parses params and query with coercion; prefixes their error paths", async () => {
    const handler = routes.publicRoute(
      {
        ...doc,
        method: "GET",
        params: z.object({ id: z.uuid() }),
        query: z.object({ limit: z.coerce.number().int().max(100).default(20), tag: z.array(z.string()).optional() }),
      },
      ({ params, query }) => ({ id: params.id, limit: query.limit, tag: query.tag }),
    );
    const id = "5b1f4a0e-8d3c-4c55-9a53-4b8f6a2f1c11";
    const ok = await serve(handler, new Request("http://t/x?limit=50&tag=a&tag=b"), { id });
    expect(await ok.json()).toEqual({ id, limit: 50, tag: ["a", "b"] });
    const badParam = await problemOf(await serve(handler, new Request("http://t/x"), { id: "nope" }));
    expect(badParam.errors?.[0]?.path).toBe("params.id");
    const badQuery = await problemOf(await serve(handler, new Request("http://t/x?limit=5000"), { id }));
    expect(badQuery.errors?.[0]?.path).toBe("query.limit");
  });

  it("maps AppError codes to their status, slug and headers", async () => {
    const throwing = (error: InstanceType<typeof AppError>) => (request: Request) =>
      serve(routes.publicRoute({ ...doc }, () => Promise.reject(error)), request);
    const limited = await throwing(new AppError("rate_limited", "Slow down.", { retryAfter: 12.2 }))(new Request("http://t/x"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("13");
    expect((await problemOf(limited)).type).toBe("https://gatehouse.dev/problems/rate-limited");

    const quota = await throwing(new AppError("quota_exhausted", "No invites left."))(new Request("http://t/x"));
    expect(quota.status).toBe(409);
    expect(await problemOf(quota)).toMatchObject({ type: "https://gatehouse.dev/problems/quota-exhausted", detail: "No invites left." });

    const notFound = await throwing(new AppError("not_found", "No such registration."))(new Request("http://t/x"));
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("x-request-id")).toBeTruthy();
  });

  it("turns an unexpected error into a generic 500 without the message or stack, and logs it", async () => {
    const logged = vi.spyOn(log.logger, "error").mockImplementation(() => {});
    const handler = routes.publicRoute({ ...doc }, () => {
      throw new Error("secret connection string postgres://user:pw@db");
    });
    const response = await serve(handler, new Request("http://t/x"));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("postgres://");
    expect(text).not.toContain("at ");
    expect(JSON.parse(text)).toMatchObject({ type: "https://gatehouse.dev/problems/internal-error", status: 500 });
    expect(logged).toHaveBeenCalledOnce();
    expect(JSON.stringify(logged.mock.calls[0]?.[0])).toContain("secret connection string");
    logged.mockRestore();
  });

  it("answers a handler's reply with its status and undefined with 204", async () => {
    const created = routes.publicRoute({ ...doc }, () => routes.reply(201, { id: 1 }));
    const createdResponse = await serve(created, new Request("http://t/x"));
    expect(createdResponse.status).toBe(201);
    expect(await createdResponse.json()).toEqual({ id: 1 });
    expect(createdResponse.headers.get("x-request-id")).toBeTruthy();
    const empty = routes.publicRoute({ ...doc }, () => undefined);
    expect((await serve(empty, new Request("http://t/x"))).status).toBe(204);
  });
});

describe("adminRoute", () => {
  let adminToken: string;
  let supportToken: string;
  let supportStaffId: string;
  let handler: RouteDefinition;

  beforeAll(async () => {
    const admin = await insertStaff(testDb.db, "admin");
    const support = await insertStaff(testDb.db, "support");
    supportStaffId = support.staffId;
    adminToken = (await createApiToken(testDb.db, null, { email: admin.email })).token;
    supportToken = (await createApiToken(testDb.db, null, { email: support.email })).token;
    handler = routes.adminRoute(
      { ...doc, permission: "manage_batches", body: z.object({ size: z.number().int().positive() }) },
      ({ actor, body, requestId }) => routes.reply(201, { role: actor.role, via: actor.via.kind, size: body.size, requestId }),
    );
  });

  function call(token: string | null, body: unknown = { size: 5 }) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    return serve(handler, new Request("http://t/api/admin/v1/batches", { method: "POST", headers, body: JSON.stringify(body) }));
  }

  it("refuses a missing token with 401 and WWW-Authenticate", async () => {
    const response = await call(null);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect((await problemOf(response)).type).toBe("https://gatehouse.dev/problems/unauthenticated");
  });

  it("refuses an unknown or malformed token with 401", async () => {
    expect((await call("ghs_definitelynotarealtoken")).status).toBe(401);
    expect((await call("garbage")).status).toBe(401);
  });

  it("refuses a role without the permission with 403, before looking at the body", async () => {
    const response = await call(supportToken, "not even an object");
    expect(response.status).toBe(403);
    expect((await problemOf(response)).type).toBe("https://gatehouse.dev/problems/forbidden");
  });

  it("lets a permitted role through with the actor and the parsed body", async () => {
    const response = await call(adminToken);
    expect(response.status).toBe(201);
    const json = await response.json();
    expect(json).toMatchObject({ role: "admin", via: "token", size: 5 });
    expect(json.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("validates the body of an authorized call", async () => {
    const response = await call(adminToken, { size: -1 });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("size");
  });

  it("applies a role change in the database to the very next request", async () => {
    expect((await call(supportToken)).status).toBe(403);
    await testDb.db.update(staffUsers).set({ role: "growth" }).where(eq(staffUsers.id, supportStaffId));
    expect((await call(supportToken)).status).toBe(201);
    await testDb.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, supportStaffId));
    expect((await call(supportToken)).status).toBe(401);
  });

  it("refuses a revoked token", async () => {
    const admin = await insertStaff(testDb.db, "admin");
    const { token, row } = await createApiToken(testDb.db, null, { email: admin.email });
    expect((await call(token)).status).toBe(201);
    await revokeApiToken(testDb.db, admin, row.id);
    expect((await call(token)).status).toBe(401);
  });
});
