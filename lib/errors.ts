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
