// Calls the HTTP API through the same router the front server uses, without a socket: a fetch
// Request in, a fetch Response out. The test plays the trusted proxy in front of Gatehouse: the
// request's X-Forwarded-For (when set) is the client address the handlers see.
import { routeRegistry } from "../../app/_server/routes/registry";
import { createRouter } from "../../app/_server/routes/router";
import { readRequestBody, requestIdFrom } from "../../lib/http/request";

const router = createRouter(routeRegistry);

export async function callApi(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const answer = await router.dispatch({
    method: request.method,
    url: url.pathname + url.search,
    headers: request.headers,
    clientAddress: request.headers.get("x-forwarded-for") ?? "203.0.113.1",
    requestId: requestIdFrom(request.headers),
    readBody: (maxBytes) => readRequestBody(request, maxBytes),
  });
  return new Response(answer.status === 204 || answer.body === "" ? null : answer.body, { status: answer.status, headers: answer.headers });
}
