// A local receiver of outbound webhooks, as the app's own back end would be: it verifies every
// request with the Standard Webhooks reference library (`standardwebhooks`) against the secret
// of the endpoint path it arrived on, and answers what the test scripts.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  path: string;
  webhookId: string;
  /** The `webhook-timestamp` header, in seconds. */
  timestamp: number;
  raw: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  headers: IncomingHttpHeaders;
  /** Whether the reference library accepted the signature (unverifiable requests are kept too). */
  verified: boolean;
  verifyError?: string;
  socket: Socket;
}

/** What the sink does with a request: answer with a status, or hold it and never answer. */
export type SinkReply = { status: number; body?: string } | "hang";

export interface WebhookSink {
  /** The URL of an endpoint path on this sink, e.g. url("/a"). */
  url(path?: string): string;
  /** Registers the secret deliveries to `path` must be signed with. */
  setSecret(path: string, secret: string): void;
  received: ReceivedWebhook[];
  /** Verified deliveries of one path (the default "/hook"). */
  deliveries(path?: string): ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookSink(respond: (request: ReceivedWebhook) => SinkReply | Promise<SinkReply> = () => ({ status: 204 })): Promise<WebhookSink> {
  const secrets = new Map<string, string>();
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://sink").pathname;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => typeof v === "string")) as Record<string, string>;
      const entry: ReceivedWebhook = {
        path,
        webhookId: String(req.headers["webhook-id"]),
        timestamp: Number(req.headers["webhook-timestamp"]),
        raw,
        body: JSON.parse(raw),
        headers: req.headers,
        verified: false,
        socket: req.socket,
      };
      try {
        new Webhook(secrets.get(path) ?? "whsec_bm90LXRoZS1zZWNyZXQ=").verify(raw, headers);
        entry.verified = true;
      } catch (error) {
        entry.verifyError = error instanceof Error ? error.message : String(error);
      }
      received.push(entry);
      const answer = await respond(entry);
      if (answer === "hang") return;
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    setSecret: (path, secret) => secrets.set(path, secret),
    received,
    deliveries: (path = "/hook") => received.filter((r) => r.path === path && r.verified),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
