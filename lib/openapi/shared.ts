// Pieces every operation of the OpenAPI document uses: the RFC 9457 problem, bearer auth, and
// response helpers, so each endpoint declares its errors in one line.
import { z } from "zod";
import "zod-openapi";
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from "zod-openapi";

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
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  415: "Body is not JSON",
  429: "Rate limited; retry after `Retry-After` seconds",
  503: "A required service is down",
};

export function problemResponse(status: number, description?: string): ZodOpenApiResponseObject {
  return {
    description: description ?? problemDescriptions[status] ?? "Error",
    content: { "application/problem+json": { schema: problemSchema } },
    ...(status === 429
      ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", minimum: 1 } } } }
      : {}),
  };
}

export function jsonResponse(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody(schema: z.ZodType): ZodOpenApiOperationObject["requestBody"] {
  return { required: true, content: { "application/json": { schema } } };
}

/** Errors every public endpoint with a JSON body can answer. */
export const bodyErrors = { "400": problemResponse(400), "413": problemResponse(413), "415": problemResponse(415), "429": problemResponse(429) };

/** One documented endpoint; the document is the list of them (see document.ts). */
export interface OpenApiOperation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path template, e.g. "/api/v1/registrations/{id}/verify". */
  path: string;
  operation: ZodOpenApiOperationObject;
}
