// HTTP latency per route, observed by the front server for every request it answers: API
// operations are labelled by their registry operation id, requests handed to Next by a bounded
// label (the console section, or what kind of Next request it is) — never by a raw path, which
// would let any client mint new time series.
import type { IncomingMessage } from "node:http";
import { observeHttp, processMetrics } from "@/lib/metrics/process-metrics";
import type { Router } from "../routes/router";

/** First path segments of the console's pages (app/(console)/*, app/(auth)/*); a test keeps the list in step. */
export const CONSOLE_SECTIONS = [
  "account",
  "audit",
  "batches",
  "change-password",
  "enrol-two-factor",
  "forbidden",
  "members",
  "notifications",
  "phases",
  "policy",
  "registrations",
  "sign-in",
  "staff",
  "waitlist",
  "webhooks",
] as const;

const sectionLabels = new Map<string, string>([["", "next:/"], ...CONSOLE_SECTIONS.map((s): [string, string] => [s, `next:/${s}`])]);

/** The label of a request Next answers: next:/<section>, next:static, next:action, next:auth or next:other. */
export function nextRouteLabel(request: IncomingMessage, pathname: string): string {
  if (pathname.startsWith("/_next/")) return "next:static";
  if (request.headers["next-action"] !== undefined) return "next:action";
  if (pathname.startsWith("/api/auth/")) return "next:auth";
  const end = pathname.indexOf("/", 1);
  return sectionLabels.get(end === -1 ? pathname.slice(1) : pathname.slice(1, end)) ?? "next:other";
}

/** What the front server calls once a request is answered (`startedAt`: performance.now() on arrival). */
export interface RequestObserver {
  api(method: string, pathname: string, status: number, startedAt: number): void;
  next(request: IncomingMessage, pathname: string, status: number, startedAt: number): void;
}

export function httpMetricsObserver(router: Router): RequestObserver {
  // Made now, at start-up, not inside the first request (the default process metrics take a while).
  processMetrics();
  // Matching a path against the registry costs a few µs; the label of a path without parameters
  // (e.g. POST /api/v1/registrations, the busiest) is remembered. Bounded: only registry paths.
  const staticLabels = new Map<string, Map<string, string>>();
  const apiLabel = (method: string, pathname: string) => {
    const known = staticLabels.get(method)?.get(pathname);
    if (known !== undefined) return known;
    const route = router.routeOf(method, pathname);
    if (!route) return "api:unmatched";
    if (route.path === pathname) {
      if (!staticLabels.has(method)) staticLabels.set(method, new Map());
      staticLabels.get(method)!.set(pathname, route.id);
    }
    return route.id;
  };
  return {
    api(method, pathname, status, startedAt) {
      observeHttp(apiLabel(method, pathname), status, startedAt);
    },
    next(request, pathname, status, startedAt) {
      observeHttp(nextRouteLabel(request, pathname), status, startedAt);
    },
  };
}
