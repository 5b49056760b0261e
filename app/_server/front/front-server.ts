// The front server (the documented Next.js custom-server pattern): a plain Node HTTP server that
// establishes the client's address from the TCP peer and TRUST_PROXY, answers the registry's API
// operations itself — outside Next's request pipeline, sharing lib/ — and hands everything else
// (console pages, server actions, exports, Auth.js) to Next with the address in a header it
// always overwrites.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Env } from "@/lib/env.js";
import { CLIENT_ADDRESS_HEADER, markFrontServerActive, requestIdFrom } from "@/lib/http/request";
import { logUnexpectedError } from "@/lib/http/problem";
import { withLogContext } from "@/lib/log";
import type { Router } from "../routes/router";
import { createClientAddressResolver, stripUntrustedForwarding } from "./client-address";
import { apiRequestOf, writeApiResponse } from "./node-bridge";

export type NextRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface FrontServerOptions {
  router: Router;
  trustProxy: Env["TRUST_PROXY"];
  /** Next's request handler; without one (tests of the API alone) other paths answer 404. */
  next?: NextRequestHandler;
  /** Headers on every API answer (security headers). */
  apiHeaders?: Record<string, string>;
}

const baseApiHeaders: Record<string, string> = { "x-content-type-options": "nosniff" };

export function createFrontServer(options: FrontServerOptions): Server {
  markFrontServerActive();
  const resolver = createClientAddressResolver(options.trustProxy);
  const apiHeaders = { ...baseApiHeaders, ...options.apiHeaders };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const clientAddress = resolver.addressOf(request);
    stripUntrustedForwarding(request, resolver);
    const requestId = requestIdFrom({ get: (name) => (request.headers[name] as string | undefined) ?? null });
    const pathname = (request.url ?? "/").split("?", 1)[0]!;
    await withLogContext({ requestId }, async () => {
      if (options.router.owns(pathname)) {
        const answer = await options.router.dispatch(apiRequestOf(request, clientAddress, requestId));
        writeApiResponse(response, answer, apiHeaders);
        return;
      }
      // Next sees the address only through this header; a client-sent copy never survives.
      request.headers[CLIENT_ADDRESS_HEADER] = clientAddress;
      request.headers["x-request-id"] = requestId;
      if (options.next) {
        await options.next(request, response);
        return;
      }
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    });
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logUnexpectedError(error, { url: request.url });
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end();
    });
  });
}
