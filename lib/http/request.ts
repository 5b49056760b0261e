// Reading untrusted HTTP input safely: every failure is a problem (400/413/415), never an
// exception that would surface as a 500.
import { randomUUID } from "node:crypto";
import { httpProblemOf, type ProblemReply } from "./problem";

/** The request headers a handler can read, whatever server received the request. */
export interface RequestHeaders {
  get(name: string): string | null;
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; problem: ProblemReply };

function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json" || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
}

/**
 * A JSON body from its bytes (null: it exceeded `maxBytes` while being read, counted while
 * streaming so a lying or missing Content-Length cannot get past it). An empty body reads as
 * `undefined`.
 */
export function parseJsonBody(bytes: Buffer | null, contentType: string | null, maxBytes: number, requestId?: string): BodyResult {
  if (bytes === null) {
    return { ok: false, problem: httpProblemOf("payloadTooLarge", `The body may be at most ${maxBytes} bytes.`, { requestId }) };
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") return { ok: true, value: undefined };
  if (!isJsonContentType(contentType)) {
    return {
      ok: false,
      problem: httpProblemOf("unsupportedMediaType", "Send the body as JSON with `Content-Type: application/json`.", { requestId }),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: httpProblemOf("invalidJson", "The request body is not valid JSON.", { requestId }) };
  }
}

/** A fetch Request's body, at most `maxBytes` (null once it is larger). */
export async function readRequestBody(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Search params as an object; a key given several times becomes an array. */
export function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? values[0]! : values;
  }
  return result;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** The caller's X-Request-Id when it is a sane token (so traces can be joined), else a new uuid. */
export function requestIdFrom(headers: RequestHeaders): string {
  const incoming = headers.get("x-request-id");
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerTokenFrom(headers: RequestHeaders): string | null {
  const match = headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/**
 * The header in which the front server hands the client address it established (from the TCP
 * peer and TRUST_PROXY) to Next. The front server deletes any copy a client sent, so behind it
 * the value cannot be forged.
 */
export const CLIENT_ADDRESS_HEADER = "x-gatehouse-client-address";

const frontServer = globalThis as unknown as { gatehouseFrontServer?: boolean };

/** Called by the front server of this process: from now on CLIENT_ADDRESS_HEADER is trusted. */
export function markFrontServerActive(): void {
  frontServer.gatehouseFrontServer = true;
}

/**
 * The client's address for a request that reached Next through the front server (console pages,
 * server actions, exports, Auth.js). Every per-address limit, the sign-in throttle and the audit
 * `ip` use it. Without a front server in this process nothing establishes it: "unknown".
 */
export function clientAddressOf(headers: RequestHeaders): string {
  if (!frontServer.gatehouseFrontServer) return "unknown";
  return headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}
