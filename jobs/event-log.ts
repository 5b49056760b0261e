// The jobs' Logger written through the one pino logger (lib/log.ts): the event name is the line's
// `msg`. The worker hands each job a Logger that adds the job's context (queue, job id, and the
// request that enqueued it) to every line (jobs/start-workers.ts).
import { logger } from "@/lib/log";
import type { Logger } from "./processor";

export function eventLogger(base?: Record<string, unknown>): Logger {
  const target = base ? logger.child(base) : logger;
  return (event, fields = {}, level = "info") => target[level](fields, event);
}
