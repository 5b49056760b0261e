import { buildOpenApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-static";

/** GET /api/v1/openapi.json — generated from the zod schemas the handlers validate with. */
export function GET(): Response {
  return Response.json(buildOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
