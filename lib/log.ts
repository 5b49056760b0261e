// The one logger: structured JSON lines (pino) on stdout. Every line written while a request is
// being handled carries its requestId without passing a logger around: the front server opens a
// log context with `withLogContext`, and pino's mixin reads it from AsyncLocalStorage (Next runs
// on it anyway). The worker does not: jobs get their context explicitly (jobs/start-workers.ts),
// since on Node 20 AsyncLocalStorage taxes every promise of the process.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env.js";

export type LogContext = Record<string, string | number | undefined>;

// On globalThis: the front server and Next's bundle of this module must share one store, so
// lines written by pages and actions carry the request id the front server assigned.
const shared = globalThis as unknown as { gatehouseLogContext?: AsyncLocalStorage<LogContext> };
const contextStorage = (shared.gatehouseLogContext ??= new AsyncLocalStorage<LogContext>());

export const logger: Logger = pino({
  level: env.LOG_LEVEL,
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => contextStorage.getStore() ?? {},
});

/** Runs `fn` with `context` added to every log line it (and what it awaits) writes. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const outer = contextStorage.getStore();
  return contextStorage.run(outer ? { ...outer, ...context } : context, fn);
}

/** The context of the request or job being handled, e.g. to carry its requestId into a job. */
export function currentLogContext(): LogContext | undefined {
  return contextStorage.getStore();
}

/** The id of the HTTP request (or of the job run for one) being handled, if any. */
export function currentRequestId(): string | undefined {
  const id = contextStorage.getStore()?.requestId;
  return typeof id === "string" ? id : undefined;
}

/**
 * The request a row is recorded for: the one given (a job passes the id it carries: the worker has
 * no log context), else the web request being served, else none (the schedulers' work).
 */
export function requestIdFor(given: string | undefined): string | null {
  return given ?? currentRequestId() ?? null;
}

/** An error as log fields: message and stack, never the whole object (it may hold a query's parameters). */
export function errorFields(error: unknown): { err: { name: string; message: string; stack?: string } } {
  if (error instanceof Error) return { err: { name: error.name, message: error.message, stack: error.stack } };
  return { err: { name: "NonError", message: String(error) } };
}
