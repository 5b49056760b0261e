// The two wrappers every route handler goes through, so none forgets a check:
//   publicRoute — the mobile app's `/api/v1` (no staff identity; rate limits are the handler's job)
//   adminRoute  — `/api/admin/v1`: staff API token → actor with the CURRENT role → permission check
// Both parse params, query and JSON body with zod, add `X-Request-Id`, and turn every thrown
// error into an RFC 9457 problem (lib/http/problem.ts). No input can produce a 500.
import type { z } from "zod";
import { getDb, type Database } from "@/db/client";
import { can, type Actor, type Permission } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { authenticateApiToken } from "@/lib/staff/api-tokens";
import { actorForStaffId } from "./staff-actor";
import { errorToProblem, zodErrorProblem } from "@/lib/http/problem";
import { bearerToken, clientIp, readJsonBody, requestIdFor, searchParamsToObject } from "@/lib/http/request";

/** What Next passes as the second argument of a route handler (params is a Promise since Next 15). */
export interface RouteHandlerContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}
export type RouteHandler = (request: Request, context: RouteHandlerContext) => Promise<Response>;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSchemas<B, P, Q> {
  body?: B;
  params?: P;
  query?: Q;
  /** Largest accepted JSON body; larger ones get a 413 problem. */
  maxBodyBytes?: number;
}

export interface PublicRouteContext<B, P, Q> {
  body: Parsed<B>;
  params: Parsed<P>;
  query: Parsed<Q>;
  request: Request;
  requestId: string;
  /** Client IP for rate-limit keys (first X-Forwarded-For hop). */
  ip: string;
  db: Database;
}

export interface AdminRouteContext<B, P, Q> extends PublicRouteContext<B, P, Q> {
  /** The token's staff member with their current role; pass it to lib functions (they assertCan too). */
  actor: Actor;
}

/** Handlers return plain data (→ 200 JSON), undefined (→ 204) or a Response (e.g. 201/202). */
type HandlerResult = unknown;

const PUBLIC_MAX_BODY_BYTES = 16 * 1024;
// Admin bodies may carry a pasted list of phone numbers for a targeted batch.
const ADMIN_MAX_BODY_BYTES = 2 * 1024 * 1024;

export function publicRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  schemas: RouteSchemas<B, P, Q>,
  handler: (ctx: PublicRouteContext<B, P, Q>) => Promise<HandlerResult> | HandlerResult,
): RouteHandler {
  return (request, context) =>
    runRoute(request, async (requestId) => {
      const parsed = await parseInput(request, context, schemas, schemas.maxBodyBytes ?? PUBLIC_MAX_BODY_BYTES, requestId);
      if (parsed instanceof Response) return parsed;
      return handler({ ...parsed, request, requestId, ip: clientIp(request), db: getDb() });
    });
}

export function adminRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  options: RouteSchemas<B, P, Q> & { permission: Permission },
  handler: (ctx: AdminRouteContext<B, P, Q>) => Promise<HandlerResult> | HandlerResult,
): RouteHandler {
  return (request, context) =>
    runRoute(request, async (requestId) => {
      const db = getDb();
      const token = bearerToken(request);
      if (!token) throw new AppError("unauthenticated", "Send a staff API token as `Authorization: Bearer <token>`.");
      const actor = await authenticateApiToken(db, token, requestId);
      if (!actor) throw new AppError("unauthenticated", "The API token is unknown, revoked or expired, or its owner is disabled.");
      if (!can(actor.role, options.permission)) {
        throw new AppError("forbidden", `The ${actor.role} role may not do this (${options.permission.replaceAll("_", " ")}).`);
      }
      const parsed = await parseInput(request, context, options, options.maxBodyBytes ?? ADMIN_MAX_BODY_BYTES, requestId);
      if (parsed instanceof Response) return parsed;
      return handler({ ...parsed, actor, request, requestId, ip: clientIp(request), db });
    });
}

/**
 * Route handlers that serve the signed-in console (e.g. CSV exports): the next-auth session
 * instead of an API token, the staff row re-read for the current role, then the permission.
 * `sessionStaffId` is injected so this module stays free of next-auth (and testable).
 */
export function consoleRoute<Q extends z.ZodType | undefined = undefined>(
  options: { permission: Permission; query?: Q; sessionStaffId: () => Promise<string | null> },
  handler: (ctx: AdminRouteContext<undefined, undefined, Q>) => Promise<HandlerResult> | HandlerResult,
): RouteHandler {
  return (request, context) =>
    runRoute(request, async (requestId) => {
      const db = getDb();
      const staffId = await options.sessionStaffId();
      const actor = staffId ? await actorForStaffId(db, staffId, requestId) : null;
      if (!actor) throw new AppError("unauthenticated", "Sign in to the console first.");
      if (!can(actor.role, options.permission)) {
        throw new AppError("forbidden", `The ${actor.role} role may not do this (${options.permission.replaceAll("_", " ")}).`);
      }
      const parsed = await parseInput<undefined, undefined, Q>(request, context, { query: options.query }, 0, requestId);
      if (parsed instanceof Response) return parsed;
      return handler({ ...parsed, actor, request, requestId, ip: clientIp(request), db });
    });
}

async function runRoute(request: Request, work: (requestId: string) => Promise<HandlerResult>): Promise<Response> {
  const requestId = requestIdFor(request);
  let response: Response;
  try {
    response = toResponse(await work(requestId));
  } catch (error) {
    response = errorToProblem(error, requestId);
  }
  return withHeader(response, "x-request-id", requestId);
}

function toResponse(result: HandlerResult): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return Response.json(result);
}

/** Responses from fetch() have immutable headers; copy them when needed. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

async function parseInput<B extends z.ZodType | undefined, P extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  request: Request,
  context: RouteHandlerContext | undefined,
  schemas: RouteSchemas<B, P, Q>,
  maxBodyBytes: number,
  requestId: string,
): Promise<Response | { body: Parsed<B>; params: Parsed<P>; query: Parsed<Q> }> {
  let params: unknown = undefined;
  if (schemas.params) {
    const result = schemas.params.safeParse((await context?.params) ?? {});
    if (!result.success) return zodErrorProblem(result.error, requestId, "params");
    params = result.data;
  }
  let query: unknown = undefined;
  if (schemas.query) {
    const raw = searchParamsToObject(new URL(request.url).searchParams);
    const result = schemas.query.safeParse(raw);
    if (!result.success) return zodErrorProblem(result.error, requestId, "query");
    query = result.data;
  }
  let body: unknown = undefined;
  if (schemas.body) {
    const read = await readJsonBody(request, maxBodyBytes, requestId);
    if (!read.ok) return read.response;
    const result = schemas.body.safeParse(read.value);
    if (!result.success) return zodErrorProblem(result.error, requestId);
    body = result.data;
  }
  return { body: body as Parsed<B>, params: params as Parsed<P>, query: query as Parsed<Q> };
}
