// The front server (the documented Next.js custom-server pattern): a plain Node HTTP server that
// establishes the client's address from the TCP peer and TRUST_PROXY, answers the registry's API
// operations itself — outside Next's request pipeline, sharing lib/ — and hands everything else
// (console pages, server actions, exports, Auth.js) to Next with the address in a header it
// always overwrites.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { env, type Env } from "@/lib/env.js";
import { AppError } from "@/lib/errors";
import { CLIENT_ADDRESS_HEADER, markFrontServerActive, requestIdFrom } from "@/lib/http/request";
import { appErrorProblemOf, logUnexpectedError, PROBLEM_CONTENT_TYPE } from "@/lib/http/problem";
import { newNonce, securityHeaders, type SecurityHeaders } from "@/lib/http/security-headers";
import { withLogContext } from "@/lib/log";
import { httpMetricsObserver } from "../metrics/http-observer";
import type { Router } from "../routes/router";
import { createClientAddressResolver, stripUntrustedForwarding } from "./client-address";
import { apiRequestOf, writeApiResponse } from "./node-bridge";
import type { OverloadGuard } from "./overload-guard";

export type NextRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface FrontServerOptions {
  router: Router;
  trustProxy: Env["TRUST_PROXY"];
  /** Next's request handler; without one (tests of the API alone) other paths answer 404. */
  next?: NextRequestHandler;
  /** More headers on every API answer. */
  apiHeaders?: Record<string, string>;
  /** CSP, framing, nosniff, referrer, HSTS (default: from AUTH_URL and AUTH_OIDC_ISSUER, production). */
  securityHeaders?: SecurityHeaders;
  /** Sheds API requests beyond what the process serves quickly (503 + Retry-After). */
  overload?: OverloadGuard;
}

/** The APIs clients call in volume; probes and documents are never shed. */
const SHEDDABLE_PREFIXES = ["/api/v1/", "/api/admin/v1/"];

export function createFrontServer(options: FrontServerOptions): Server {
  markFrontServerActive();
  const resolver = createClientAddressResolver(options.trustProxy);
  const security = options.securityHeaders ?? securityHeaders({ authUrl: env.AUTH_URL, oidcIssuer: env.AUTH_OIDC_ISSUER });
  const apiHeaders = { ...security.api, ...options.apiHeaders };
  // HTTP latency per route (GET /api/metrics): one histogram observe per answered request.
  const observer = httpMetricsObserver(options.router);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const startedAt = performance.now();
    const clientAddress = resolver.addressOf(request);
    stripUntrustedForwarding(request, resolver);
    const requestId = requestIdFrom({ get: (name) => (request.headers[name] as string | undefined) ?? null });
    const pathname = (request.url ?? "/").split("?", 1)[0]!;
    await withLogContext({ requestId }, async () => {
      if (options.router.owns(pathname)) {
        const guard = options.overload && SHEDDABLE_PREFIXES.some((prefix) => pathname.startsWith(prefix)) ? options.overload : null;
        if (guard && !guard.tryEnter()) {
          writeOverloaded(request, response, requestId, apiHeaders);
          observer.api(request.method ?? "GET", pathname, 503, startedAt);
          return;
        }
        try {
          const answer = await options.router.dispatch(apiRequestOf(request, clientAddress, requestId));
          writeApiResponse(response, answer, apiHeaders);
          observer.api(request.method ?? "GET", pathname, answer.status, startedAt);
        } finally {
          guard?.leave();
        }
        return;
      }
      // Next sees the address only through this header; a client-sent copy never survives.
      request.headers[CLIENT_ADDRESS_HEADER] = clientAddress;
      request.headers["x-request-id"] = requestId;
      if (options.next) {
        // A fresh nonce per answer. Next reads it from the request's CSP header (the one it would
        // get from a proxy.ts) and puts it on its scripts; a client-sent copy never survives.
        const pageHeaders = security.page(newNonce());
        request.headers["content-security-policy"] = pageHeaders["content-security-policy"];
        delete request.headers["content-security-policy-report-only"];
        for (const [name, value] of Object.entries(pageHeaders)) response.setHeader(name, value);
        await options.next(request, response);
        observer.next(request, pathname, response.statusCode, startedAt);
        return;
      }
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logUnexpectedError(error, { url: request.url });
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end();
    });
  });
  server.on("close", () => options.overload?.close());
  return server;
}

// One error for every refusal: building an Error (its stack) per shed request is work an
// overloaded process cannot spare.
const OVERLOADED = new AppError("unavailable", "The service is busy; try again in a moment.", { retryAfter: 1 });

/** Answered without parsing the body or touching a store: the cheapest possible refusal. */
function writeOverloaded(request: IncomingMessage, response: ServerResponse, requestId: string, apiHeaders: Record<string, string>): void {
  // Discard the body so the connection stays usable for the client's retry.
  request.resume();
  const { problem, headers } = appErrorProblemOf(OVERLOADED, requestId);
  const body = JSON.stringify(problem);
  response.writeHead(503, {
    ...apiHeaders,
    ...headers,
    "content-type": PROBLEM_CONTENT_TYPE,
    "cache-control": "no-store",
    "x-request-id": requestId,
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
}
