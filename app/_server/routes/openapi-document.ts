// The OpenAPI 3.1 documents (GET /api/v1/openapi.json, GET /api/admin/v1/openapi.json), generated
// (zod-openapi) from the route registry: the same zod schemas the handlers parse with, and every
// problem status each operation can answer.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import type { RouteDefinition } from "./define-route";

export const problemSchema = z
  .object({
    type: z.string().meta({ example: "https://gatehouse.dev/problems/validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string().meta({ example: "phone" }), message: z.string() }))
      .optional()
      .meta({ description: "Field errors, one per invalid input path." }),
    requestId: z.string().optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

const problemDescriptions: Record<number, string> = {
  400: "Invalid input (see `errors`)",
  401: "Missing or unknown bearer token",
  403: "The token's owner may not do this",
  404: "Not found",
  409: "Conflict with the current state",
  413: "Body too large",
  415: "Body is not JSON",
  429: "Rate limited; retry after `Retry-After` seconds",
  503: "A service it needs is unavailable; retry after `Retry-After` seconds",
};

const retryAfter = { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" as const, minimum: 1 } } };

function problemResponse(status: number): ZodOpenApiResponseObject {
  return {
    description: problemDescriptions[status] ?? "Error",
    content: { "application/problem+json": { schema: problemSchema } },
    ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
  };
}

function operationOf(route: RouteDefinition): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    responses[status] = doc.schema
      ? { description: doc.description, content: { [doc.contentType ?? "application/json"]: { schema: doc.schema } } }
      : { description: doc.description };
  }
  for (const status of route.problemStatuses) responses[String(status)] ??= problemResponse(status);
  return {
    operationId: route.id,
    tags: route.tags,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.security ? { security: [{ [route.security]: [] }] } : {}),
    ...(route.schemas.params || route.schemas.query
      ? { requestParams: { ...(route.schemas.params ? { path: route.schemas.params as z.ZodObject } : {}), ...(route.schemas.query ? { query: route.schemas.query as z.ZodObject } : {}) } }
      : {}),
    ...(route.schemas.body ? { requestBody: { required: true, content: { "application/json": { schema: route.schemas.body } } } } : {}),
    responses,
  };
}

export interface DocumentInfo {
  title: string;
  description: string;
  securitySchemes: Record<string, { type: "http"; scheme: "bearer"; description: string }>;
  /** Requests Gatehouse sends (OpenAPI 3.1 `webhooks`), e.g. the outbound webhook events. */
  webhooks?: ZodOpenApiPathsObject;
}

export function buildOpenApiDocument(routes: RouteDefinition[], info: DocumentInfo): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return createDocument({
    openapi: "3.1.0",
    info: { title: info.title, version: "1.0.0", description: info.description },
    servers: [{ url: "/" }],
    paths,
    ...(info.webhooks ? { webhooks: info.webhooks } : {}),
    components: { securitySchemes: info.securitySchemes },
  });
}
