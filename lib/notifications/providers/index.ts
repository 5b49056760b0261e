// Providers chosen by env: SMS goes to NOTIFY_PROVIDER (`log` by default, or `webhook`); e-mail
// goes to SMTP when SMTP_URL is set, else to the same provider as SMS.
import path from "node:path";
import { env as processEnv, type Env } from "@/lib/env.js";
import { createLogProvider } from "./log";
import { createSmtpProvider } from "./smtp";
import type { NotificationProvider, NotificationProviders } from "./types";
import { createWebhookProvider } from "./webhook";

export * from "./types";
export { createLogProvider } from "./log";
export { createSmtpProvider } from "./smtp";
export { createWebhookProvider, signWebhookBody, webhookBody } from "./webhook";

export interface ProviderOptions {
  /** Where the log provider appends; default <DATA_DIR>/outbox.jsonl. */
  logFile?: string | null;
  logToStdout?: boolean;
}

export function createProviders(env: Env = processEnv, options: ProviderOptions = {}): NotificationProviders {
  const logFile = options.logFile === undefined ? path.join(env.DATA_DIR, "outbox.jsonl") : options.logFile;
  const sms: NotificationProvider =
    env.NOTIFY_PROVIDER === "webhook"
      ? // env.js refuses NOTIFY_PROVIDER=webhook without a URL and a secret.
        createWebhookProvider({ url: env.NOTIFY_WEBHOOK_URL!, secret: env.NOTIFY_WEBHOOK_SECRET!, timeoutMs: env.NOTIFY_WEBHOOK_TIMEOUT_MS })
      : createLogProvider({ file: logFile, stdout: options.logToStdout });
  const email = env.SMTP_URL ? createSmtpProvider({ url: env.SMTP_URL, from: env.SMTP_FROM }) : sms;
  return { sms, email };
}

export async function closeProviders(providers: NotificationProviders): Promise<void> {
  const distinct = new Set([providers.sms, providers.email]);
  await Promise.all([...distinct].map((p) => p.close?.()));
}
