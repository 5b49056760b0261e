// RFC 9457 problem details: the one error shape of every HTTP API (public `/api/v1`, admin
// `/api/admin/v1`, health). Route handlers never build error bodies themselves; they throw
// (AppError, ZodError, anything) and the route wrappers turn it into a problem here.
import { ZodError } from "zod";
import { AppError, problemSlugByCode, type AppErrorCode, type FieldError } from "@/lib/errors";
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
  internal: { status: 500, slug: "internal-error", title: "Internal server error" },
} as const;

export function problemType(slug: string): string {
  return PROBLEM_TYPE_BASE + slug;
}

/** A problem+json Response. `headers` adds e.g. Retry-After or WWW-Authenticate. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

export function httpProblem(
  kind: keyof typeof httpProblems,
  detail: string,
  options: { requestId?: string; headers?: Record<string, string> } = {},
): Response {
  const p = httpProblems[kind];
  return problemResponse(
    { type: problemType(p.slug), title: p.title, status: p.status, detail, requestId: options.requestId },
    options.headers,
  );
}

export function appErrorProblem(error: AppError, requestId?: string): Response {
  const problem: Problem = {
    type: problemType(problemSlugByCode[error.code]),
    title: titleByCode[error.code],
    status: error.status,
    detail: error.message,
    ...(error.fieldErrors?.length ? { errors: error.fieldErrors } : {}),
    requestId,
  };
  const headers: Record<string, string> = {};
  if (error.code === "rate_limited") headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfter ?? 1)));
  if (error.code === "unauthenticated") headers["www-authenticate"] = "Bearer";
  return problemResponse(problem, headers);
}

/** Zod issues as `[{ path: "phone", message }]`; `prefix` names where the input came from. */
export function zodFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return { path: prefix ? (path ? `${prefix}.${path}` : prefix) : path, message: issue.message };
  });
}

export function zodErrorProblem(error: ZodError, requestId?: string, prefix?: string): Response {
  return appErrorProblem(
    new AppError("validation", "The request has invalid fields; see `errors`.", { fieldErrors: zodFieldErrors(error, prefix) }),
    requestId,
  );
}

/** Logs an unexpected error server-side; the client only sees a generic 500. */
export function logUnexpectedError(error: unknown, context: Record<string, unknown>): void {
  logger.error({ ...context, ...errorFields(error) }, "unexpected error");
}

/**
 * Any thrown value as a problem Response: AppError → its status, ZodError → 400 with
 * `errors`, anything else → logged, and a 500 without details.
 */
export function errorToProblem(error: unknown, requestId?: string): Response {
  if (error instanceof AppError) return appErrorProblem(error, requestId);
  if (error instanceof ZodError) return zodErrorProblem(error, requestId);
  logUnexpectedError(error, { requestId });
  return httpProblem("internal", "Something went wrong on our side. Quote the request id if you contact support.", {
    requestId,
  });
}
