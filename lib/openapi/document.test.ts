import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./document";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

describe("OpenAPI document", () => {
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as Record<string, Json> & {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; responses: Record<string, Json> }>>;
    components: { schemas: Record<string, Json> };
  };

  it("is OpenAPI 3.1 and lists every public endpoint of the SPEC", () => {
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        "POST /api/v1/registrations",
        "POST /api/v1/registrations/{id}/verify",
        "GET /api/v1/registrations/me",
        "POST /api/v1/invitations/redeem",
        "GET /api/v1/members/me",
        "POST /api/v1/members/me/invitations",
        "GET /api/health",
      ].sort(),
    );
  });

  it("resolves every $ref and declares every path parameter", () => {
    for (const ref of collectRefs(document as unknown as Json)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas[ref.split("/").pop()!], ref).toBeDefined();
    }
    for (const [path, item] of Object.entries(document.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect(declared.sort()).toEqual(templated.sort());
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
      }
    }
  });

  it("documents errors as problem+json and the registration body from its zod schema", () => {
    const register = document.paths["/api/v1/registrations"]!.post!;
    expect(register.responses["202"]).toBeDefined();
    expect(JSON.stringify(register.responses["400"])).toContain("application/problem+json");
    expect(JSON.stringify(register.responses["429"])).toContain("Retry-After");
    const body = document.components.schemas.RegisterRequest as { required: string[]; properties: Record<string, Json> };
    expect(body.required.sort()).toEqual(["phone", "platform"]);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(["phone", "country", "email", "platform", "locale", "referralCode", "legacyAccountId"]),
    );
  });
});
