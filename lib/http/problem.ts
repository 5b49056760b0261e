// RFC 9457 problem details: the one error shape of every HTTP API (public `/api/v1`, admin
// `/api/admin/v1`, health). Route handlers never build error bodies themselves; they throw
// (AppError, ZodError, anything) and the route wrappers turn it into a problem here.
import { ZodError } from "zod";
import { AppError, problemSlugByCode, unavailableAppError, unavailableStoreOf, type AppErrorCode, type FieldError } from "@/lib/errors";
import { errorFields, logger } from "@/lib/log";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const PROBLEM_TYPE_BASE = "https://gatehouse.dev/problems/";

export interface Problem {
  /** `https://gatehouse.dev/problems/<slug>`; stable, part of the public contract. */
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** Extension member: the request id, so a client can quote it to support. */
  requestId?: string;
}

const titleByCode: Record<AppErrorCode, string> = {
  validation: "Invalid request",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  quota_exhausted: "Invite quota exhausted",
  idempotency_mismatch: "Idempotency key reused",
  rate_limited: "Too many requests",
  invalid_state: "Invalid state",
  unavailable: "Service unavailable",
};

/** Problems raised by the HTTP layer itself (not by the domain), with their own slugs. */
export const httpProblems = {
  invalidJson: { status: 400, slug: "invalid-json", title: "Malformed JSON" },
  unsupportedMediaType: { status: 415, slug: "unsupported-media-type", title: "Unsupported media type" },
  payloadTooLarge: { status: 413, slug: "payload-too-large", title: "Payload too large" },
  methodNotAllowed: { status: 405, slug: "method-not-allowed", title: "Method not allowed" },
  internal: { status: 500, slug: "internal-error", title: "Internal server error" },
} as const;

export function problemType(slug: string): string {
  return PROBLEM_TYPE_BASE + slug;
}

/** A problem and the headers that go with it (Retry-After, WWW-Authenticate), not yet a response. */
export interface ProblemReply {
  problem: Problem;
  headers: Record<string, string>;
}

/** A problem+json Response (Next route handlers); the front server writes ProblemReply itself. */
export function problemToResponse({ problem, headers }: ProblemReply): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

export function httpProblemOf(
  kind: keyof typeof httpProblems,
  detail: string,
  options: { requestId?: string; headers?: Record<string, string> } = {},
): ProblemReply {
  const p = httpProblems[kind];
  return {
    problem: { type: problemType(p.slug), title: p.title, status: p.status, detail, requestId: options.requestId },
    headers: options.headers ?? {},
  };
}

export function appErrorProblemOf(error: AppError, requestId?: string): ProblemReply {
  const problem: Problem = {
    type: problemType(problemSlugByCode[error.code]),
    title: titleByCode[error.code],
    status: error.status,
    detail: error.message,
    ...(error.fieldErrors?.length ? { errors: error.fieldErrors } : {}),
    requestId,
  };
  const headers: Record<string, string> = {};
  if (error.code === "rate_limited" || error.code === "unavailable") {
    headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfter ?? 1)));
  }
  if (error.code === "unauthenticated") headers["www-authenticate"] = "Bearer";
  return { problem, headers };
}

/** Zod issues as `[{ path: "phone", message }]`; `prefix` names where the input came from. */
export function zodFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return { path: prefix ? (path ? `${prefix}.${path}` : prefix) : path, message: issue.message };
  });
}

export function zodProblemOf(error: ZodError, requestId?: string, prefix?: string): ProblemReply {
  return appErrorProblemOf(
    new AppError("validation", "The request has invalid fields; see `errors`.", { fieldErrors: zodFieldErrors(error, prefix) }),
    requestId,
  );
}

/** Logs an unexpected error server-side; the client only sees a generic 500. */
export function logUnexpectedError(error: unknown, context: Record<string, unknown>): void {
  logger.error({ ...context, ...errorFields(error) }, "unexpected error");
}

/**
 * Any thrown value as a problem: AppError → its status, ZodError → 400 with `errors`, a store
 * that is unavailable (the database restarting or failing over, Redis down where it is needed:
 * see unavailableStoreOf) → 503 with Retry-After, anything else → logged, and a 500 without details.
 */
export function problemOf(error: unknown, requestId?: string): ProblemReply {
  if (error instanceof AppError) return appErrorProblemOf(error, requestId);
  if (error instanceof ZodError) return zodProblemOf(error, requestId);
  const store = unavailableStoreOf(error);
  if (store) {
    // The driver's own message (not the wrapping query text, which may carry personal data).
    const cause = (error as { cause?: { message?: unknown } }).cause;
    const reason = typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error);
    logger.warn({ requestId, store, reason }, "store unavailable");
    return appErrorProblemOf(unavailableAppError(store), requestId);
  }
  logUnexpectedError(error, { requestId });
  return httpProblemOf("internal", "Something went wrong on our side. Quote the request id if you contact support.", { requestId });
}

// Response-returning forms, for Next route handlers (console exports).
export const errorToProblem = (error: unknown, requestId?: string): Response => problemToResponse(problemOf(error, requestId));
export const zodErrorProblem = (error: ZodError, requestId?: string, prefix?: string): Response =>
  problemToResponse(zodProblemOf(error, requestId, prefix));
