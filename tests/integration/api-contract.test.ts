// The documents a client is generated from: both are valid OpenAPI 3.1, every schema in them
// compiles as JSON Schema 2020-12, every admin success answer has a schema, and the checker that
// replays the run's recorded answers against them (tests/setup/response-contract.ts) does refuse
// what a client would trip on.
import { describe, expect, it } from "vitest";
import { adminApiRoutes } from "../../app/_server/routes/registry";
import { contractDocuments, createResponseChecker, documentProblems, type RecordedResponse } from "../helpers/response-contract";

const documents = contractDocuments();

describe("the OpenAPI documents", () => {
  it.each(Object.entries(documents))("the %s document is valid OpenAPI 3.1 and its schemas compile", async (_name, document) => {
    expect(document.openapi).toBe("3.1.0");
    expect(await documentProblems(document)).toEqual([]);
  });

  it("finds a broken document", async () => {
    const broken = structuredClone(documents.admin) as { info: { version?: string }; paths: Record<string, Record<string, Record<string, unknown>>> };
    delete broken.info.version;
    broken.paths["/api/admin/v1/batches"]!.post!.responses = { 201: { description: "x", content: { "application/json": { schema: { type: "nope" } } } } };
    const problems = await documentProblems(broken as unknown as Record<string, unknown>);
    expect(problems.join("\n")).toMatch(/not valid OpenAPI/);
    expect(problems.join("\n")).toMatch(/\/paths\/~1api~1admin~1v1~1batches\/post\/responses\/201/);
  });

  it("describes every outbound webhook event, with its signature headers", () => {
    const webhooks = documents.admin.webhooks as Record<string, { post: { parameters: { name: string }[]; requestBody: unknown } }>;
    expect(Object.keys(webhooks).sort()).toEqual(
      ["batch.completed", "invitation.expired", "invitation.sent", "member.admitted", "phase.activated", "registration.verified"],
    );
    for (const event of Object.values(webhooks)) {
      expect(event.post.parameters.map((p) => p.name)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
      expect(JSON.stringify(event.post.requestBody)).toContain('"timestamp"');
    }
  });

  it("gives every success answer of every admin operation a schema (204 aside)", () => {
    for (const route of adminApiRoutes) {
      for (const [status, response] of Object.entries(route.responses)) {
        if (status === "204") expect(response.schema, `${route.id} 204`).toBeUndefined();
        else expect(response.schema, `${route.id} ${status}`).toBeDefined();
      }
    }
  });
});

describe("the response checker", () => {
  const check = createResponseChecker(documents);
  const problem = JSON.stringify({ type: "https://gatehouse.dev/problems/not-found", title: "Not found", status: 404, detail: "No such batch." });
  const answer = (overrides: Partial<RecordedResponse>): RecordedResponse => ({
    operationId: "getBatch",
    status: 404,
    contentType: "application/problem+json",
    body: problem,
    ...overrides,
  });

  it("accepts an answer its document declares", () => {
    expect(check(answer({}))).toBeNull();
    expect(check(answer({ operationId: "liveness", status: 200, contentType: "application/json", body: '{"status":"ok"}' }))).toBeNull();
  });

  it("refuses an undeclared status, content type or body, and a body off its schema", () => {
    expect(check(answer({ status: 418 }))).toMatch(/answered 418, which its document does not declare/);
    expect(check(answer({ contentType: "text/html" }))).toMatch(/content type text\/html/);
    expect(check(answer({ body: JSON.stringify({ title: "Not found", status: 404 }) }))).toMatch(/does not match the declared schema.*required/);
    expect(check(answer({ operationId: "liveness", status: 200, contentType: "application/json", body: '{"status":"ok","extra":1}' }))).toMatch(
      /additional properties/,
    );
    expect(check(answer({ operationId: "deleteWebhookEndpoint", status: 204, contentType: null, body: "{}" }))).toMatch(/a body where the document declares none/);
  });
});
