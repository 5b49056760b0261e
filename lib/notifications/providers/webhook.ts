// POSTs each message as JSON to NOTIFY_WEBHOOK_URL (SPEC §3.7):
//   body    {id, channel, kind, to, locale, body, code?, expiresAt?}
//   headers Idempotency-Key: <id>
//           X-Gatehouse-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with NOTIFY_WEBHOOK_SECRET>
// 2xx = sent; 429, 5xx, timeouts and network errors = retry (the same Idempotency-Key lets the
// receiver drop a repeat of a request it accepted but could not answer); other 4xx = failed.
import { createHmac } from "node:crypto";
import { DeliveryError, type NotificationProvider, type OutgoingMessage, type SendResult } from "./types";

export interface WebhookProviderOptions {
  url: string;
  secret: string;
  timeoutMs: number;
}

export function signWebhookBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

/** The exact body fields of the contract, in a stable order; optional ones only when present. */
export function webhookBody(message: OutgoingMessage): string {
  const { id, channel, kind, to, locale, body, code, expiresAt } = message;
  return JSON.stringify({ id, channel, kind, to, locale, body, ...(code ? { code } : {}), ...(expiresAt ? { expiresAt } : {}) });
}

async function readMessageId(response: Response): Promise<string | null> {
  try {
    const json = (await response.json()) as { messageId?: unknown; id?: unknown };
    const value = json.messageId ?? json.id;
    return typeof value === "string" || typeof value === "number" ? String(value) : null;
  } catch {
    return null;
  }
}

export function createWebhookProvider(options: WebhookProviderOptions): NotificationProvider {
  return {
    name: "webhook",
    async send(message): Promise<SendResult> {
      const raw = webhookBody(message);
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "idempotency-key": message.id,
            "x-gatehouse-signature": signWebhookBody(raw, options.secret),
          },
          body: raw,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        throw new DeliveryError(timedOut ? `webhook timed out after ${options.timeoutMs} ms` : `webhook unreachable: ${(error as Error).message}`, {
          retryable: true,
          cause: error,
        });
      }
      if (response.ok) {
        return { providerMessageId: (await readMessageId(response)) ?? message.id };
      }
      await response.body?.cancel().catch(() => {});
      const retryable = response.status === 429 || response.status >= 500;
      throw new DeliveryError(`webhook answered ${response.status}`, { retryable });
    },
  };
}
