import type { AppErrorCode } from "@/lib/errors";

/**
 * What a console server action returns to the browser: its data, or a failure the form can show
 * (an AppError code, a message, and per-field messages keyed by form field).
 */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppErrorCode | "internal"; error: string; fieldErrors?: Record<string, string> };
