import type { Locale, NotificationChannel, NotificationKind } from "@/db/schema";

/** One rendered message, as every provider receives it (the webhook posts exactly these fields). */
export interface OutgoingMessage {
  /** The notification id: also the idempotency key towards the provider. */
  id: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  /** E.164 phone (sms) or e-mail address. */
  to: string;
  locale: Locale;
  /** SMS text, or the plain-text e-mail body. */
  body: string;
  /** E-mail subject (email channel only). */
  subject?: string;
  /** The one-time code the message carries, if any. */
  code?: string;
  /** ISO time the code or invitation expires, if any. */
  expiresAt?: string;
}

export interface SendResult {
  providerMessageId: string;
}

export interface NotificationProvider {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

/**
 * A failed provider call. `retryable` says whether sending again may succeed (429, 5xx,
 * timeouts, connection errors) or never will (other 4xx, a rejected address).
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
  }
}

/** Providers per channel: SMS always has one; e-mail goes to SMTP when configured. */
export interface NotificationProviders {
  sms: NotificationProvider;
  email: NotificationProvider;
}
