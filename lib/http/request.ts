// Reading untrusted HTTP input safely: every failure is a problem Response (400/413/415), never
// an exception that would surface as a 500.
import { randomUUID } from "node:crypto";
import { httpProblem } from "./problem";

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json" || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
}

/**
 * The JSON body of a request, read with a byte limit (counted while streaming, so a lying or
 * missing Content-Length cannot get past it). An empty body reads as `undefined`.
 */
export async function readJsonBody(request: Request, maxBytes: number, requestId?: string): Promise<BodyResult> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    return { ok: false, response: httpProblem("payloadTooLarge", `The body may be at most ${maxBytes} bytes.`, { requestId }) };
  }
  let text: string;
  try {
    const read = await readTextWithLimit(request, maxBytes);
    if (read === null) {
      return { ok: false, response: httpProblem("payloadTooLarge", `The body may be at most ${maxBytes} bytes.`, { requestId }) };
    }
    text = read;
  } catch {
    return { ok: false, response: httpProblem("invalidJson", "The request body could not be read.", { requestId }) };
  }
  if (text.trim() === "") return { ok: true, value: undefined };
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return {
      ok: false,
      response: httpProblem("unsupportedMediaType", "Send the body as JSON with `Content-Type: application/json`.", { requestId }),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: httpProblem("invalidJson", "The request body is not valid JSON.", { requestId }) };
  }
}

/** The body as UTF-8 text, or null once it exceeds `maxBytes`. */
async function readTextWithLimit(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
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
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
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
export function requestIdFor(request: Request): string {
  const incoming = request.headers.get("x-request-id");
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The client's IP: the first X-Forwarded-For hop (set by the proxy in front of `next start`),
 * else X-Real-IP, else "unknown". Used as a rate-limit key, never for authentication.
 */
export function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip")?.trim() || "unknown";
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}
