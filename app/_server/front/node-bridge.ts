// Between Node's http module and the route registry: no fetch Request or Response objects on the
// hot path, only the headers object Node already parsed and one write of the answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHeaders } from "@/lib/http/request";
import type { ApiRequest, ApiResponse } from "../routes/define-route";

function headersOf(request: IncomingMessage): RequestHeaders {
  return {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/** Reads the body once, counting bytes as they arrive; past `maxBytes` it stops and answers null. */
function bodyReader(request: IncomingMessage): (maxBytes: number) => Promise<Buffer | null> {
  let read: Promise<Buffer | null> | undefined;
  return (maxBytes) =>
    (read ??= new Promise<Buffer | null>((resolve, reject) => {
      const declared = Number(request.headers["content-length"] ?? "");
      if (Number.isFinite(declared) && declared > maxBytes) {
        request.resume();
        resolve(null);
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      request.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          request.removeAllListeners("data");
          request.resume();
          resolve(null);
          return;
        }
        chunks.push(chunk);
      });
      request.on("end", () => resolve(total > maxBytes ? null : Buffer.concat(chunks, total)));
      request.on("error", reject);
    }));
}

export function apiRequestOf(request: IncomingMessage, clientAddress: string, requestId: string): ApiRequest {
  return {
    method: request.method ?? "GET",
    url: request.url ?? "/",
    headers: headersOf(request),
    clientAddress,
    requestId,
    readBody: bodyReader(request),
  };
}

export function writeApiResponse(response: ServerResponse, answer: ApiResponse, extraHeaders: Record<string, string>): void {
  const body = answer.body === "" ? undefined : answer.body;
  response.writeHead(answer.status, {
    ...extraHeaders,
    ...answer.headers,
    ...(body === undefined ? {} : { "content-length": Buffer.byteLength(body) }),
  });
  response.end(body);
}
