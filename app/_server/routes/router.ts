// Matches a request to a registry operation. The front server owns every path under the API
// prefixes (an unknown one is a 404 problem, not Next's HTML page) and the operations' exact paths.
import { AppError } from "@/lib/errors";
import { httpProblemOf, PROBLEM_CONTENT_TYPE, problemOf, type ProblemReply } from "@/lib/http/problem";
import type { ApiRequest, ApiResponse, RouteDefinition } from "./define-route";

const API_PREFIXES = ["/api/v1/", "/api/admin/v1/"];

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  paramNames: string[];
}

export interface Router {
  /** Whether this path is the front server's to answer (else it goes to Next). */
  owns(pathname: string): boolean;
  dispatch(request: ApiRequest): Promise<ApiResponse>;
  /** The operation a path and method reach, for metrics labels; null when none. */
  routeOf(method: string, pathname: string): RouteDefinition | null;
}

function compile(route: RouteDefinition): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      paramNames.push(param[1]!);
      return "([^/]+)";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}$`), paramNames };
}

function problemResponse({ problem, headers }: ProblemReply, requestId: string): ApiResponse {
  return {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", "x-request-id": requestId, ...headers },
    body: JSON.stringify(problem),
  };
}

/** Sees the answer of every registry operation dispatched (the response contract test records them). */
export type DispatchObserver = (route: RouteDefinition, response: ApiResponse) => void;

// Test-only: set by a vitest setup file. Unset in production, where it costs one null check.
let dispatchObserver: DispatchObserver | null = null;

export function observeDispatch(observer: DispatchObserver | null): void {
  dispatchObserver = observer;
}

export function createRouter(routes: RouteDefinition[]): Router {
  // Static paths before templated ones, so "/registrations/me" is never read as an id.
  const compiled = routes.map(compile).sort((a, b) => a.paramNames.length - b.paramNames.length);
  const exactPaths = new Set(routes.map((r) => r.path).filter((p) => !p.includes("{")));

  const find = (pathname: string) => {
    const matches: { entry: CompiledRoute; values: string[] }[] = [];
    for (const entry of compiled) {
      const m = entry.pattern.exec(pathname);
      if (m) matches.push({ entry, values: m.slice(1) });
    }
    return matches;
  };

  return {
    owns: (pathname) => exactPaths.has(pathname) || API_PREFIXES.some((prefix) => pathname.startsWith(prefix)),
    routeOf(method, pathname) {
      return find(pathname).find((m) => m.entry.route.method === method)?.entry.route ?? null;
    },
    async dispatch(request) {
      const pathname = new URL(request.url, "http://localhost").pathname;
      const matches = find(pathname);
      const match = matches.find((m) => m.entry.route.method === request.method);
      if (!match) {
        if (matches.length === 0) {
          return problemResponse(problemOf(new AppError("not_found", `There is no ${pathname}.`), request.requestId), request.requestId);
        }
        const allow = [...new Set(matches.map((m) => m.entry.route.method))].join(", ");
        return problemResponse(
          httpProblemOf("methodNotAllowed", `${pathname} answers ${allow}.`, { requestId: request.requestId, headers: { allow } }),
          request.requestId,
        );
      }
      const params: Record<string, string> = {};
      match.entry.paramNames.forEach((name, i) => {
        // A malformed escape is the client's problem: keep it raw, the params schema refuses it.
        try {
          params[name] = decodeURIComponent(match.values[i]!);
        } catch {
          params[name] = match.values[i]!;
        }
      });
      const response = await match.entry.route.run(request, params);
      dispatchObserver?.(match.entry.route, response);
      return response;
    },
  };
}
