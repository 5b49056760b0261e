// Route handlers that serve the signed-in console through Next (CSV exports): the next-auth
// session instead of an API token, the staff row re-read for the current role, then the
// permission; query parsed with zod; every thrown error an RFC 9457 problem. The HTTP API
// operations are not route files: they live in the route registry (./routes/registry.ts).
import type { z } from "zod";
import { getDb } from "@/db/client";
import { can, type Permission } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { errorToProblem, zodErrorProblem } from "@/lib/http/problem";
import { clientAddressOf, requestIdFrom, searchParamsToObject } from "@/lib/http/request";
import type { AdminRouteContext } from "./routes/define-route";
import { actorForStaffId } from "./staff-actor";

/** What Next passes as the second argument of a route handler (params is a Promise since Next 15). */
export interface RouteHandlerContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}
export type RouteHandler = (request: Request, context: RouteHandlerContext) => Promise<Response>;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * `sessionStaffId` is injected so this module stays free of next-auth (and testable). Handlers
 * return a Response (a CSV stream) or plain data (200 JSON).
 */
export function consoleRoute<Q extends z.ZodType | undefined = undefined>(
  options: { permission: Permission; query?: Q; sessionStaffId: () => Promise<string | null> },
  handler: (ctx: AdminRouteContext<undefined, undefined, Q> & { request: Request }) => Promise<unknown> | unknown,
): RouteHandler {
  return async (request) => {
    const requestId = requestIdFrom(request.headers);
    let response: Response;
    try {
      const db = getDb();
      const staffId = await options.sessionStaffId();
      const actor = staffId ? await actorForStaffId(db, staffId, requestId) : null;
      if (!actor) throw new AppError("unauthenticated", "Sign in to the console first.");
      if (!can(actor.role, options.permission)) {
        throw new AppError("forbidden", `The ${actor.role} role may not do this (${options.permission.replaceAll("_", " ")}).`);
      }
      let query: unknown;
      if (options.query) {
        const result = options.query.safeParse(searchParamsToObject(new URL(request.url).searchParams));
        if (!result.success) return zodErrorProblem(result.error, requestId, "query");
        query = result.data;
      }
      const result = await handler({
        body: undefined,
        params: undefined,
        query: query as Parsed<Q>,
        headers: request.headers,
        request,
        requestId,
        clientAddress: clientAddressOf(request.headers),
        db,
        actor,
      });
      response = result instanceof Response ? result : Response.json(result);
    } catch (error) {
      response = errorToProblem(error, requestId);
    }
    response.headers.set("x-request-id", requestId);
    return response;
  };
}
