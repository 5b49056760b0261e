import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { sendWebhookRequest, webhookBody, webhookHeaders, type WebhookMessage } from "./send-webhook-request";

const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const message: WebhookMessage = {
  id: "5b1e9d53-6a0e-4a55-9f0e-2f1b8f6a1c11",
  url: "http://127.0.0.1:1/hook",
  secret,
  type: "member.admitted",
  data: { memberId: "m", registrationId: "r", phaseSlug: "wave-1" },
  occurredAt: new Date("2026-11-27T10:00:00.000Z"),
};

describe("a webhook request", () => {
  it("is signed so the Standard Webhooks reference library verifies it", () => {
    const body = webhookBody(message);
    const headers = webhookHeaders(message, body, new Date());
    expect(headers["webhook-id"]).toBe(message.id);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "member.admitted", timestamp: "2026-11-27T10:00:00.000Z", data: message.data });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString("base64")}`).verify(body, headers)).toThrow("No matching signature found");
  });

  it("carries the phone only when the endpoint asked for it, and only for events naming a registration", () => {
    expect(JSON.parse(webhookBody(message)).data).not.toHaveProperty("phone");
    expect(JSON.parse(webhookBody({ ...message, phone: "+33612345678" })).data.phone).toBe("+33612345678");
    expect(JSON.parse(webhookBody({ ...message, phone: null })).data.phone).toBeNull();
    const batch = { ...message, type: "batch.completed" as const, data: { batchId: "b" }, phone: "+33612345678" };
    expect(JSON.parse(webhookBody(batch)).data).toEqual({ batchId: "b" });
  });

  it("counts 2xx as delivered, anything else and no answer in time as a failure, without following redirects", async () => {
    const answers = [204, 302, 500];
    let hang = false;
    const server = createServer((req, res) => {
      if (hang) return;
      const status = answers.shift()!;
      res.writeHead(status, status === 302 ? { location: "http://127.0.0.1:1/elsewhere" } : {});
      res.end(status === 500 ? "x".repeat(2000) : "");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      expect(await sendWebhookRequest({ ...message, url }, { timeoutMs: 2000 })).toMatchObject({ ok: true, statusCode: 204, error: null });
      expect(await sendWebhookRequest({ ...message, url }, { timeoutMs: 2000 })).toMatchObject({ ok: false, statusCode: 302, error: "HTTP 302" });
      const failed = await sendWebhookRequest({ ...message, url }, { timeoutMs: 2000 });
      expect(failed).toMatchObject({ ok: false, statusCode: 500 });
      expect(failed.responseExcerpt).toHaveLength(500);
      hang = true;
      expect(await sendWebhookRequest({ ...message, url }, { timeoutMs: 200 })).toMatchObject({ ok: false, statusCode: null, error: "timed out" });
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      expect(await sendWebhookRequest({ ...message, url: closedUrl }, { timeoutMs: 2000 })).toMatchObject({ ok: false, statusCode: null, error: "ECONNREFUSED" });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
