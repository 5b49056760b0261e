// The default provider for development and tests: nothing leaves the machine. Each message is
// a log line (`notification.logged`, with the message) and a JSON line appended to
// <DATA_DIR>/outbox.jsonl, where a developer finds the verification and invitation codes. That
// file is the one place codes are kept in clear (SPEC §3.8), by design: it is private (0600).
import { chmodSync, createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";
import { logger } from "@/lib/log";
import type { NotificationProvider, OutgoingMessage, SendResult } from "./types";

export interface LogProviderOptions {
  /** File the lines are appended to; null = stdout only. */
  file: string | null;
  /** Also write each message as a log line (default true). */
  stdout?: boolean;
}

export function createLogProvider(options: LogProviderOptions): NotificationProvider {
  let stream: WriteStream | null = null;
  if (options.file) {
    mkdirSync(path.dirname(options.file), { recursive: true });
    stream = createWriteStream(options.file, { flags: "a", mode: 0o600 });
    // The mode applies only when the file is created: a file left by an older version is fixed too.
    try {
      chmodSync(options.file, 0o600);
    } catch {
      // not created yet: the stream creates it 0600
    }
    stream.on("error", () => {});
  }
  const printToStdout = options.stdout ?? true;

  return {
    name: "log",
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (printToStdout) logger.info({ message }, "notification.logged");
      if (stream) {
        const line = `${JSON.stringify({ ...message, loggedAt: new Date().toISOString() })}\n`;
        const target = stream;
        // Resolves once the line is handed to the OS: "sent" must not precede the write.
        await new Promise<void>((resolve, reject) => target.write(line, (error) => (error ? reject(error) : resolve())));
      }
      return { providerMessageId: `log-${message.id}` };
    },
    async close() {
      if (!stream) return;
      const target = stream;
      stream = null;
      await new Promise<void>((resolve) => target.end(resolve));
    },
  };
}
