// The one route registry: every HTTP API operation Gatehouse serves. The front server routes by
// it, the OpenAPI documents are generated from it, and the route-coverage, masking and contract
// tests walk it. Console routes that need the Next request pipeline (session cookies) stay route
// files and are listed in `nextRoutes`, so the tests see them too.
import type { Permission } from "@/lib/auth/roles";
import { adminBatchRoutes } from "./admin-batch-routes";
import { adminPhaseRoutes } from "./admin-phase-routes";
import { adminRegistrationRoutes } from "./admin-registration-routes";
import { adminWebhookRoutes, webhookEventsDocument } from "./admin-webhook-routes";
import type { RouteDefinition } from "./define-route";
import { buildOpenApiDocument } from "./openapi-document";
import { documentRoute, healthRoutes, metricsRoute } from "./ops-routes";
import { publicRoutes } from "./public-routes";

/** Documented in /api/v1/openapi.json: the mobile app's API and the health probes. */
export const publicApiRoutes: RouteDefinition[] = [...publicRoutes, ...healthRoutes];

/** Documented in /api/admin/v1/openapi.json. */
export const adminApiRoutes: RouteDefinition[] = [...adminBatchRoutes, ...adminRegistrationRoutes, ...adminPhaseRoutes, ...adminWebhookRoutes];

export const publicOpenApiDocument = () =>
  buildOpenApiDocument(publicApiRoutes, {
    title: "Gatehouse public API",
    description:
      "The mobile app's API: register and verify a phone, see the exact queue position, redeem an invitation, invite friends. Errors are RFC 9457 application/problem+json. Every endpoint is rate limited (429 with Retry-After); while a service it needs is down it answers 503 with Retry-After.",
    securitySchemes: {
      statusToken: { type: "http", scheme: "bearer", description: "statusToken from POST /api/v1/registrations/{id}/verify" },
      memberToken: { type: "http", scheme: "bearer", description: "memberToken from POST /api/v1/invitations/redeem" },
    },
  });

export const adminOpenApiDocument = () =>
  buildOpenApiDocument(adminApiRoutes, {
    title: "Gatehouse admin API",
    description:
      "Automation for staff: batches, registrations, phases, stats. A staff API token acts with its owner's current role; every change is audited like a console action. Errors are RFC 9457 application/problem+json.",
    securitySchemes: { staffToken: { type: "http", scheme: "bearer", description: "A staff API token (Account or Staff & API tokens page)" } },
    webhooks: webhookEventsDocument,
  });

const documentRoutes: RouteDefinition[] = [
  documentRoute({ id: "publicOpenApi", path: "/api/v1/openapi.json", summary: "This document", build: publicOpenApiDocument }),
  documentRoute({ id: "adminOpenApi", path: "/api/admin/v1/openapi.json", summary: "The admin API's OpenAPI document", build: adminOpenApiDocument }),
];

/** Served, never documented in the public or admin document: operators' endpoints. */
const operatorRoutes: RouteDefinition[] = [metricsRoute];

export const routeRegistry: RouteDefinition[] = [...publicApiRoutes, ...adminApiRoutes, ...documentRoutes, ...operatorRoutes];

/** Served by Next (they need its request pipeline: session cookies, Auth.js). */
export interface NextRouteEntry {
  method: "GET" | "POST";
  path: string;
  /** The route file that serves it. */
  file: string;
  /** Console routes check this permission on the session's staff member. */
  permission?: Permission;
}

export const nextRoutes: NextRouteEntry[] = [
  { method: "GET", path: "/audit/export", file: "app/(console)/audit/export/route.ts", permission: "view" },
  { method: "GET", path: "/batches/export", file: "app/(console)/batches/export/route.ts", permission: "view" },
  { method: "GET", path: "/waitlist/export", file: "app/(console)/waitlist/export/route.ts", permission: "view" },
  { method: "GET", path: "/api/auth/[...nextauth]", file: "app/api/auth/[...nextauth]/route.ts" },
  { method: "POST", path: "/api/auth/[...nextauth]", file: "app/api/auth/[...nextauth]/route.ts" },
];
