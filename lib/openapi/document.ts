// GET /api/v1/openapi.json: an OpenAPI 3.1 document generated (zod-openapi) from the same zod
// schemas the route handlers parse with. To document an endpoint, add its OpenApiOperation to
// a list under operations/ and that list to `operationGroups`.
import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import { healthOperations } from "./operations/health";
import { memberOperations } from "./operations/members";
import { registrationOperations } from "./operations/registrations";
import type { OpenApiOperation } from "./shared";

export const operationGroups: OpenApiOperation[][] = [registrationOperations, memberOperations, healthOperations];

let cached: ReturnType<typeof createDocument> | undefined;

export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const { method, path, operation } of operationGroups.flat()) {
    paths[path] = { ...paths[path], [method]: operation };
  }
  cached = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Gatehouse public API",
      version: "1.0.0",
      description:
        "The mobile app's API: register and verify a phone, see the exact queue position, redeem an invitation, invite friends. Errors are RFC 9457 application/problem+json. Every endpoint is rate limited (429 with Retry-After).",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        statusToken: { type: "http", scheme: "bearer", description: "statusToken from POST /api/v1/registrations/{id}/verify" },
        memberToken: { type: "http", scheme: "bearer", description: "memberToken from POST /api/v1/invitations/redeem" },
      },
    },
  });
  return cached;
}
