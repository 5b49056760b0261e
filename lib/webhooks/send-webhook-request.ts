// One HTTP attempt of a delivery, per the Standard Webhooks specification: the body
// `{type, timestamp, data}`, signed with the endpoint's secret over `<webhook-id>.<webhook-timestamp>.<body>`
// (the `standardwebhooks` reference library), POSTed with a timeout and without following redirects.
import { Webhook } from "standardwebhooks";
import type { WebhookEventType } from "@/db/schema";
import { eventsNamingRegistration } from "./webhook-events.schema";

export interface WebhookMessage {
  /** The delivery id: the `webhook-id` of every attempt. */
  id: string;
  url: string;
  secret: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  occurredAt: Date;
  /** Present only for endpoints marked includePhone (null: erased by retention). */
  phone?: string | null;
}

export interface AttemptResult {
  ok: boolean;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

const EXCERPT_CHARS = 500;

export function webhookBody(message: Pick<WebhookMessage, "type" | "data" | "occurredAt" | "phone">): string {
  const data = message.phone !== undefined && eventsNamingRegistration.has(message.type) ? { ...message.data, phone: message.phone } : message.data;
  return JSON.stringify({ type: message.type, timestamp: message.occurredAt.toISOString(), data });
}

/** The headers of one attempt at `at`. */
export function webhookHeaders(message: WebhookMessage, body: string, at: Date): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Gatehouse-Webhooks/1.0",
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(message.secret).sign(message.id, at, body),
  };
}

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.length > 0 ? text.slice(0, EXCERPT_CHARS) : null;
}

const describe = (error: unknown) => {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "timed out";
  return (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error)).slice(0, 300);
};

/** Sends one attempt; never throws. 2xx is success; anything else, or no answer in time, is a failure. */
export async function sendWebhookRequest(message: WebhookMessage, options: { timeoutMs: number }): Promise<AttemptResult> {
  const startedAt = new Date();
  const body = webhookBody(message);
  try {
    const response = await fetch(message.url, {
      method: "POST",
      headers: webhookHeaders(message, body, startedAt),
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const responseExcerpt = await readExcerpt(response).catch(() => null);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      statusCode: response.status,
      error: ok ? null : `HTTP ${response.status}`,
      responseExcerpt,
    };
  } catch (error) {
    return { ok: false, startedAt, durationMs: Date.now() - startedAt.getTime(), statusCode: null, error: describe(error), responseExcerpt: null };
  }
}
