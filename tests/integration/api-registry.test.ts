// The route registry is the one list of HTTP operations: the OpenAPI documents are generated from
// it, the front server routes by it, and every route file Next serves must be listed in it.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminApiRoutes, adminOpenApiDocument, nextRoutes, publicApiRoutes, publicOpenApiDocument, routeRegistry } from "../../app/_server/routes/registry";
import { callApi } from "../helpers/api";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Document = Record<string, Json> & {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; parameters?: { in: string; name: string }[]; responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json> };
};

const root = path.resolve(import.meta.dirname, "../..");
const asJson = (document: unknown) => JSON.parse(JSON.stringify(document)) as Document;

function collectRefs(value: Json, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") found.push(v);
      else collectRefs(v, found);
    }
  }
  return found;
}

const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([p, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${p}`));

describe.each([
  ["public", publicOpenApiDocument, publicApiRoutes],
  ["admin", adminOpenApiDocument, adminApiRoutes],
] as const)("the %s OpenAPI document", (_name, build, routes) => {
  const document = asJson(build());

  it("is OpenAPI 3.1 and holds exactly the registry's operations", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(operationsOf(document).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("resolves every $ref and declares every path parameter", () => {
    for (const ref of collectRefs(document as unknown as Json)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas[ref.split("/").pop()!], ref).toBeDefined();
    }
    for (const [p, item] of Object.entries(document.paths)) {
      const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item)) {
        const declared = (operation.parameters ?? []).filter((x) => x.in === "path").map((x) => x.name);
        expect(declared.sort()).toEqual(templated.sort());
      }
    }
  });

  it("declares every problem status of every operation as problem+json, with Retry-After on 429 and 503", () => {
    for (const route of routes) {
      const operation = document.paths[route.path]![route.method.toLowerCase()]!;
      for (const status of route.problemStatuses) {
        const response = JSON.stringify(operation.responses[String(status)]);
        expect(response, `${route.id} ${status}`).toContain(status === 503 && route.audience === "ops" ? "application/json" : "application/problem+json");
        if (status === 429 || (status === 503 && route.audience !== "ops")) expect(response, `${route.id} ${status}`).toContain("Retry-After");
      }
    }
  });
});

describe("the public document", () => {
  const document = asJson(publicOpenApiDocument());

  it("lists every public endpoint of the SPEC", () => {
    expect(operationsOf(document)).toEqual(
      expect.arrayContaining([
        "POST /api/v1/registrations",
        "POST /api/v1/registrations/{id}/verify",
        "GET /api/v1/registrations/me",
        "POST /api/v1/invitations/redeem",
        "GET /api/v1/members/me",
        "POST /api/v1/members/me/invitations",
        "GET /api/health",
      ]),
    );
  });

  it("documents the registration body from its zod schema, and the errors it can answer", () => {
    const register = document.paths["/api/v1/registrations"]!.post!;
    expect(Object.keys(register.responses).sort()).toEqual(["202", "400", "413", "415", "429", "503"]);
    const body = document.components.schemas.RegisterRequest as { required: string[]; properties: Record<string, Json> };
    expect(body.required.sort()).toEqual(["phone", "platform"]);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(["phone", "country", "email", "platform", "locale", "referralCode", "legacyAccountId"]),
    );
    expect(Object.keys(document.paths["/api/v1/invitations/redeem"]!.post!.responses)).toEqual(expect.arrayContaining(["404", "409"]));
  });
});

describe("the admin document", () => {
  it("lists every admin endpoint of SPEC §6", () => {
    expect(operationsOf(asJson(adminOpenApiDocument()))).toEqual(
      expect.arrayContaining([
        "GET /api/admin/v1/batches",
        "POST /api/admin/v1/batches",
        "GET /api/admin/v1/batches/{id}",
        "POST /api/admin/v1/batches/{id}/cancel",
        "GET /api/admin/v1/registrations",
        "GET /api/admin/v1/registrations/{id}",
        ...["reactivate", "remove", "hold", "clear", "block", "boost", "resend"].map((verb) => `POST /api/admin/v1/registrations/{id}/${verb}`),
        "GET /api/admin/v1/phases",
        "POST /api/admin/v1/phases",
        "PATCH /api/admin/v1/phases/{id}",
        "POST /api/admin/v1/phases/{id}/activate",
        "POST /api/admin/v1/phases/{id}/close",
        "GET /api/admin/v1/stats",
      ]),
    );
  });
});

describe("the registry", () => {
  it("names every operation once and serves no method and path twice", () => {
    const ids = routeRegistry.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = routeRegistry.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("lists every route file Next serves (a new one must be registered to be tested)", () => {
    const routeFiles = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.posix.join(dir, entry.name);
        // Folders starting with "_" are private in the app router: never routes.
        if (entry.isDirectory()) return entry.name.startsWith("_") ? [] : routeFiles(relative);
        return entry.name === "route.ts" ? [relative] : [];
      });
    expect(routeFiles("app").sort()).toEqual([...new Set(nextRoutes.map((r) => r.file))].sort());
  });

  it("serves both documents", async () => {
    for (const url of ["/api/v1/openapi.json", "/api/admin/v1/openapi.json"]) {
      const response = await callApi(new Request(`http://localhost${url}`));
      expect(response.status, url).toBe(200);
      expect((await response.json()).openapi).toBe("3.1.0");
    }
  });

  it("answers an unknown API path with a 404 problem and a wrong method with 405 and Allow", async () => {
    const unknown = await callApi(new Request("http://localhost/api/v1/nothing-here"));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    const wrongMethod = await callApi(new Request("http://localhost/api/v1/registrations", { method: "DELETE" }));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect((await wrongMethod.json()).type).toBe("https://gatehouse.dev/problems/method-not-allowed");
  });
});
