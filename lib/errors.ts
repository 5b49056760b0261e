/**
 * The one error type the domain throws. Route handlers and server actions map it to an RFC 9457
 * problem (HTTP) or an `{ error }` result (forms); anything else is a bug and becomes a 500
 * without details.
 */
export type AppErrorCode =
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "quota_exhausted"
  | "idempotency_mismatch"
  | "rate_limited"
  | "invalid_state"
  | "unavailable";

export const statusByCode: Record<AppErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  quota_exhausted: 409,
  idempotency_mismatch: 409,
  rate_limited: 429,
  invalid_state: 409,
  unavailable: 503,
};

/** Slug for the problem `type` URI (`/problems/<slug>`); part of the public contract. */
export const problemSlugByCode: Record<AppErrorCode, string> = {
  validation: "validation-error",
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  not_found: "not-found",
  conflict: "conflict",
  quota_exhausted: "quota-exhausted",
  idempotency_mismatch: "idempotency-key-reused",
  rate_limited: "rate-limited",
  invalid_state: "invalid-state",
  unavailable: "service-unavailable",
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fieldErrors?: FieldError[];
  /** Seconds, for rate_limited. */
  readonly retryAfter?: number;

  constructor(code: AppErrorCode, message: string, options: { fieldErrors?: FieldError[]; retryAfter?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Postgres unique violation (optionally of one named constraint). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const pg = cause as { code?: string; constraint_name?: string };
  return pg?.code === "23505" && (constraint === undefined || pg.constraint_name === constraint);
}

/** A store an operation needs, found unreachable (see unavailableStoreOf). */
export type UnavailableStore = "database" | "redis";

/**
 * Thrown where code knows a store it needs is down and would otherwise throw a plain Error (the
 * fail-fast job producer while Redis is unreachable). Mapped to 503 like any connection failure.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly store: UnavailableStore,
    message: string,
  ) {
    super(message);
    this.name = "StoreUnavailableError";
  }
}

/** Seconds a client is told to wait while a store is unavailable: a restart or fail-over takes a few. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

// postgres.js's own connection errors, and the socket errors it and ioredis pass on.
const DRIVER_CONNECTION_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);
const SOCKET_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// SQLSTATEs of a server that is going away or not there yet: admin_shutdown (pg_terminate_backend,
// fail-over), crash_shutdown, cannot_connect_now (starting up / shutting down), too_many_connections.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
// ioredis: a command on a closed connection, retries per request exhausted, no offline queue.
const REDIS_UNAVAILABLE_MESSAGE = /^Connection is closed\.?$|Stream isn't writeable|Reached the max retries per request limit|Failed to refresh slots cache|None of startup nodes is available/;

function storeOfOne(error: object): UnavailableStore | null {
  if (error instanceof StoreUnavailableError) return error.store;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : "";
  if (name === "MaxRetriesPerRequestError" || name === "ClusterAllFailedError" || REDIS_UNAVAILABLE_MESSAGE.test(text)) return "redis";
  if (typeof code !== "string") return null;
  if (DRIVER_CONNECTION_CODES.has(code)) return "database";
  // SQLSTATE class 08: connection exceptions.
  if (name === "PostgresError" && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith("08"))) return "database";
  if (SOCKET_ERROR_CODES.has(code)) return "database";
  return null;
}

/**
 * The one classifier of "a store is unavailable" (the shared error mapping turns it into a 503
 * with Retry-After, server actions into an `unavailable` result): the database connection
 * refused, closed, ended or destroyed, a backend terminated by an administrator command or a
 * server shutting down or starting up, a connect timeout; Redis closed or out of retries. Looks
 * through wrapping (`cause`, as Drizzle wraps driver errors) and AggregateError (a connect tried
 * on several addresses). Anything else is null: a real bug stays a 500.
 */
export function unavailableStoreOf(error: unknown): UnavailableStore | null {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.shift();
    if (!current || typeof current !== "object" || seen.has(current) || seen.size > 10) continue;
    seen.add(current);
    const store = storeOfOne(current);
    if (store) return store;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return null;
}

/** The AppError an unavailable store becomes (503, Retry-After). */
export function unavailableAppError(store: UnavailableStore): AppError {
  const what = store === "database" ? "The database" : "The queue service";
  return new AppError("unavailable", `${what} is briefly unavailable; try again in a moment.`, { retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS });
}
