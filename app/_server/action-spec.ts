// A console server action as a plain definition (permission, input schema, what it does) and the
// runner that executes one for a staff id. Kept apart from the "use server" wrapper (action.ts)
// and from next-auth, so tests can run every action as every role without a Next.js request.
import { randomUUID } from "node:crypto";
import { ZodError, type z } from "zod";
import { zfd } from "zod-form-data";
import type { Database } from "@/db/client";
import type { ActionResult } from "@/lib/action-result";
import { can, type Actor, type Permission } from "@/lib/auth/roles";
import { AppError, unavailableAppError, unavailableStoreOf } from "@/lib/errors";
import { pendingStepMessage, sessionActorForStaffId } from "./staff-actor";

function fieldErrorsOf(error: AppError | ZodError): Record<string, string> | undefined {
  const list =
    error instanceof ZodError
      ? error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }))
      : (error.fieldErrors ?? []);
  if (list.length === 0) return undefined;
  // Keyed by form field: an error in "countries.2" belongs to the "countries" field.
  const result: Record<string, string> = {};
  for (const { path, message } of list) result[path.split(".")[0] || "form"] ??= message;
  return result;
}

/** A server action's definition: what it needs, how its input is parsed, what it does. */
export interface StaffActionSpec<S extends z.ZodType, T> {
  permission: Permission;
  schema: S;
  /** `db` is the process database in production and a test database in tests. */
  run: (input: z.output<S>, actor: Actor, db: Database) => Promise<T>;
  /**
   * The account's own steps (change a reset password, set up a required second factor) run
   * while the account owes them; every other action is refused until then.
   */
  allowPendingStep?: boolean;
}

export function defineStaffAction<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>): StaffActionSpec<S, T> {
  return spec;
}

/**
 * Runs one server action for a signed-in staff id: re-reads the staff row, checks the
 * permission, parses the input, calls `fn`, and maps AppError/ZodError (and a store that is
 * unavailable: the `unavailable` code, "try again in a moment") to a failed result.
 * Other errors propagate (the caller logs them and rethrows Next's redirect/notFound signals).
 */
export async function runStaffAction<S extends z.ZodType, T>(options: {
  db: Database;
  staffId: string | null | undefined;
  permission: Permission;
  schema: S;
  rawInput: unknown;
  fn: (input: z.output<S>, actor: Actor, db: Database) => Promise<T>;
  requestId?: string;
  allowPendingStep?: boolean;
}): Promise<ActionResult<T>> {
  const requestId = options.requestId ?? randomUUID();
  try {
    const session = options.staffId ? await sessionActorForStaffId(options.db, options.staffId, requestId) : null;
    if (!session) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
    if (session.pending && !options.allowPendingStep) throw new AppError("forbidden", pendingStepMessage[session.pending]);
    const { actor } = session;
    if (!can(actor.role, options.permission)) {
      throw new AppError("forbidden", `The ${actor.role} role may not do this (${options.permission.replaceAll("_", " ")}).`);
    }
    // FormData through zod-form-data (repeated keys become arrays); a plain object as it is.
    // An empty field arrives as "": the field rules (zfd.text/numeric, lib/validation/fields.ts)
    // read it as "not given".
    const parsed = zfd.formData(options.schema).safeParse(options.rawInput);
    if (!parsed.success) {
      return { ok: false, code: "validation", error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
    }
    return { ok: true, data: await options.fn(parsed.data, actor, options.db) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, code: error.code, error: error.message, fieldErrors: fieldErrorsOf(error) };
    }
    if (error instanceof ZodError) {
      return { ok: false, code: "validation", error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(error) };
    }
    const store = unavailableStoreOf(error);
    if (store) return { ok: false, code: "unavailable", error: unavailableAppError(store).message };
    throw error;
  }
}
