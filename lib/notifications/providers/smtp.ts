// E-mail through SMTP (nodemailer), used for the email channel when SMTP_URL is set. Transient
// SMTP replies (4xx) and connection problems are retried; permanent ones (5xx) fail.
import nodemailer from "nodemailer";
import { DeliveryError, type NotificationProvider, type SendResult } from "./types";

export interface SmtpProviderOptions {
  url: string;
  from: string;
  /** Connection/greeting/socket timeouts (ms). */
  timeoutMs?: number;
}

export function createSmtpProvider(options: SmtpProviderOptions): NotificationProvider {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(options.url, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: "smtp",
    async send(message): Promise<SendResult> {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? "Gatehouse",
          text: message.body,
          messageId: `<${message.id}@gatehouse>`,
          headers: { "X-Gatehouse-Notification-Id": message.id },
        });
        return { providerMessageId: info.messageId ?? message.id };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const permanent = typeof code === "number" && code >= 500;
        throw new DeliveryError(`smtp: ${(error as Error).message}`, { retryable: !permanent, cause: error });
      }
    },
    async close() {
      transport.close();
    },
  };
}
