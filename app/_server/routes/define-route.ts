// One definition per HTTP API operation (public `/api/v1`, admin `/api/admin/v1`, operations):
// method, path, zod schemas, documented responses and errors, and the handler. The registry
// (./registry.ts) lists them all; the front server routes by it, the OpenAPI documents are
// generated from it, and the route-coverage tests walk it — so nothing can be served that is
// not documented, or documented that is not served.
//
// The wrappers do what every handler would otherwise have to remember: parse params, query and
// JSON body with zod; authenticate and authorize staff tokens (admin, the CURRENT role of the
// token's owner); add X-Request-Id; turn every thrown error into an RFC 9457 problem.
import type { z } from "zod";
import { getDb, type Database } from "@/db/client";
import { can, type Actor, type Permission } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { PROBLEM_CONTENT_TYPE, problemOf, zodProblemOf, type ProblemReply } from "@/lib/http/problem";
import { bearerTokenFrom, parseJsonBody, type RequestHeaders, searchParamsToObject } from "@/lib/http/request";
import { authenticateApiToken } from "@/lib/staff/api-tokens";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";
/** public: the mobile app's API; admin: staff API tokens; ops: probes, documents, metrics. */
export type RouteAudience = "public" | "admin" | "ops";
export type RouteSecurity = "statusToken" | "memberToken" | "staffToken" | "metricsToken";

/** A request as every server hands it over (the front server from Node, tests from fetch). */
export interface ApiRequest {
  method: string;
  /** Path and query string, e.g. "/api/v1/registrations?x=1". */
  url: string;
  headers: RequestHeaders;
  /** Established by the front server from the TCP peer and TRUST_PROXY; never a header a client sent. */
  clientAddress: string;
  requestId: string;
  /** The body, at most `maxBytes` (null once it is larger). */
  readBody(maxBytes: number): Promise<Buffer | null>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A handler's answer other than 200 JSON: a status, a JSON body (or raw text) and headers. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>) => new Reply(status, body, headers);

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, P, Q> {
  body: Parsed<B>;
  params: Parsed<P>;
  query: Parsed<Q>;
  headers: RequestHeaders;
  requestId: string;
  clientAddress: string;
  db: Database;
}

export interface AdminRouteContext<B, P, Q> extends RouteContext<B, P, Q> {
  /** The token's staff member with their current role; pass it to lib functions (they assertCan too). */
  actor: Actor;
}

interface RouteSpec<B, P, Q> {
  /** The OpenAPI operationId; unique across the registry. */
  id: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. "/api/v1/registrations/{id}/verify". */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  body?: B;
  params?: P;
  query?: Q;
  /** Largest accepted JSON body; larger ones get a 413 problem. */
  maxBodyBytes?: number;
  /** Success responses by status. */
  responses: Record<number, ResponseDoc>;
  /** Problem statuses this operation answers beyond those its shape implies (see problemStatusesOf). */
  errors?: number[];
  security?: RouteSecurity;
}

/** A registered operation: its documentation and its fully wrapped handler. */
export interface RouteDefinition {
  id: string;
  method: HttpMethod;
  path: string;
  audience: RouteAudience;
  summary: string;
  description?: string;
  tags: string[];
  schemas: { body?: z.ZodType; params?: z.ZodType; query?: z.ZodType };
  responses: Record<number, ResponseDoc>;
  /** Every problem status the operation can answer, for the OpenAPI document. */
  problemStatuses: number[];
  security?: RouteSecurity;
  permission?: Permission;
  run(request: ApiRequest, params: Record<string, string>): Promise<ApiResponse>;
}

const PUBLIC_MAX_BODY_BYTES = 16 * 1024;
// Admin bodies may carry a pasted list of phone numbers for a targeted batch.
const ADMIN_MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Problem statuses implied by an operation's shape, beside those it declares: input → 400; a body
 * → 413 and 415; public operations are rate limited (429); admin ones authenticate (401, 403);
 * every operation that reaches the database answers 503 while it is unavailable.
 */
function problemStatusesOf(audience: RouteAudience, spec: RouteSpec<unknown, unknown, unknown>): number[] {
  const statuses = new Set(spec.errors ?? []);
  if (spec.body || spec.params || spec.query) statuses.add(400);
  if (spec.body) [413, 415].forEach((s) => statuses.add(s));
  if (audience === "public") statuses.add(429);
  if (audience === "admin") [401, 403].forEach((s) => statuses.add(s));
  if (audience !== "ops") statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

const jsonHeaders = { "content-type": "application/json", "cache-control": "no-store" };

function problemResponse({ problem, headers }: ProblemReply): ApiResponse {
  return {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
    body: JSON.stringify(problem),
  };
}

function toResponse(result: unknown): ApiResponse {
  if (result === undefined) return { status: 204, headers: { "cache-control": "no-store" }, body: "" };
  if (result instanceof Reply) {
    const raw = typeof result.body === "string";
    return {
      status: result.status,
      headers: { ...(raw ? {} : jsonHeaders), ...result.headers },
      body: result.body === undefined ? "" : raw ? (result.body as string) : JSON.stringify(result.body),
    };
  }
  return { status: 200, headers: jsonHeaders, body: JSON.stringify(result) };
}

/** A problem as a handler result (input the wrappers refused before the handler ran). */
function problemReply({ problem, headers }: ProblemReply): Reply {
  return new Reply(problem.status, problem, { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers });
}

type ParsedInput<B, P, Q> = { ok: true; body: Parsed<B>; params: Parsed<P>; query: Parsed<Q> } | { ok: false; refused: Reply };

async function parseInput<B, P, Q>(
  request: ApiRequest,
  rawParams: Record<string, string>,
  spec: RouteSpec<B, P, Q>,
  maxBodyBytes: number,
): Promise<ParsedInput<B, P, Q>> {
  const refuse = (problem: ProblemReply) => ({ ok: false as const, refused: problemReply(problem) });
  const schema = (s: unknown) => s as z.ZodType | undefined;
  let params: unknown;
  const paramsSchema = schema(spec.params);
  if (paramsSchema) {
    const result = paramsSchema.safeParse(rawParams);
    if (!result.success) return refuse(zodProblemOf(result.error, request.requestId, "params"));
    params = result.data;
  }
  let query: unknown;
  const querySchema = schema(spec.query);
  if (querySchema) {
    const search = new URL(request.url, "http://localhost").searchParams;
    const result = querySchema.safeParse(searchParamsToObject(search));
    if (!result.success) return refuse(zodProblemOf(result.error, request.requestId, "query"));
    query = result.data;
  }
  let body: unknown;
  const bodySchema = schema(spec.body);
  if (bodySchema) {
    const read = parseJsonBody(await request.readBody(maxBodyBytes), request.headers.get("content-type"), maxBodyBytes, request.requestId);
    if (!read.ok) return refuse(read.problem);
    const result = bodySchema.safeParse(read.value);
    if (!result.success) return refuse(zodProblemOf(result.error, request.requestId));
    body = result.data;
  }
  return { ok: true, body: body as Parsed<B>, params: params as Parsed<P>, query: query as Parsed<Q> };
}

async function answer(request: ApiRequest, work: () => Promise<unknown>): Promise<ApiResponse> {
  let response: ApiResponse;
  try {
    response = toResponse(await work());
  } catch (error) {
    response = problemResponse(problemOf(error, request.requestId));
  }
  response.headers["x-request-id"] = request.requestId;
  return response;
}

function describe(audience: RouteAudience, spec: RouteSpec<unknown, unknown, unknown>, permission?: Permission) {
  return {
    id: spec.id,
    method: spec.method,
    path: spec.path,
    audience,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    schemas: { body: spec.body as z.ZodType | undefined, params: spec.params as z.ZodType | undefined, query: spec.query as z.ZodType | undefined },
    responses: spec.responses,
    problemStatuses: problemStatusesOf(audience, spec),
    security: spec.security,
    permission,
  };
}

/** An operation of the mobile app's API (no staff identity; rate limits are the handler's job). */
export function publicRoute<B extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, P, Q>,
  handler: (ctx: RouteContext<B, P, Q>) => Promise<unknown> | unknown,
): RouteDefinition {
  return {
    ...describe("public", spec as RouteSpec<unknown, unknown, unknown>),
    run: (request, rawParams) =>
      answer(request, async () => {
        const parsed = await parseInput(request, rawParams, spec, spec.maxBodyBytes ?? PUBLIC_MAX_BODY_BYTES);
        if (!parsed.ok) return parsed.refused;
        const { headers, requestId, clientAddress } = request;
        return handler({
          body: parsed.body,
          params: parsed.params,
          query: parsed.query,
          headers,
          requestId,
          clientAddress,
          // Opened on first use: a handler that needs no database never waits for one.
          get db() {
            return getDb();
          },
        });
      }),
  };
}

/** An operation of the admin API: a staff API token, acting with its owner's current role. */
export function adminRoute<B extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, P, Q> & { permission: Permission },
  handler: (ctx: AdminRouteContext<B, P, Q>) => Promise<unknown> | unknown,
): RouteDefinition {
  return {
    ...describe("admin", { ...(spec as RouteSpec<unknown, unknown, unknown>), security: "staffToken" }, spec.permission),
    run: (request, rawParams) =>
      answer(request, async () => {
        const db = getDb();
        const token = bearerTokenFrom(request.headers);
        if (!token) throw new AppError("unauthenticated", "Send a staff API token as `Authorization: Bearer <token>`.");
        const actor = await authenticateApiToken(db, token, request.requestId);
        if (!actor) throw new AppError("unauthenticated", "The API token is unknown, revoked or expired, or its owner is disabled.");
        if (!can(actor.role, spec.permission)) {
          throw new AppError("forbidden", `The ${actor.role} role may not do this (${spec.permission.replaceAll("_", " ")}).`);
        }
        const parsed = await parseInput(request, rawParams, spec, spec.maxBodyBytes ?? ADMIN_MAX_BODY_BYTES);
        if (!parsed.ok) return parsed.refused;
        const { headers, requestId, clientAddress } = request;
        return handler({ body: parsed.body, params: parsed.params, query: parsed.query, actor, headers, requestId, clientAddress, db });
      }),
  };
}

/** Probes, API documents, metrics: no body, no identity beyond what the handler checks itself. */
export function opsRoute<Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<undefined, undefined, Q>,
  handler: (ctx: { query: Parsed<Q>; headers: RequestHeaders; requestId: string }) => Promise<unknown> | unknown,
): RouteDefinition {
  return {
    ...describe("ops", spec as RouteSpec<unknown, unknown, unknown>),
    run: (request, rawParams) =>
      answer(request, async () => {
        const parsed = await parseInput(request, rawParams, spec, 0);
        if (!parsed.ok) return parsed.refused;
        return handler({ query: parsed.query, headers: request.headers, requestId: request.requestId });
      }),
  };
}
