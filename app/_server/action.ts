// The one wrapper for console server actions (STYLE.md §5): session → staff row re-read from the
// database (current role; disabled staff refused) → permission → zod parse → lib call → result.
// Define the action beside its page (a plain module, so tests can run it as every role):
//   export const activate = defineStaffAction({ permission: "manage_phases", schema, run: (input, actor) => … });
// and expose it from a "use server" file:
//   export const activatePhaseAction = staffAction(activate);
// It works both as a form action with useActionState `(prevState, formData)` and when called
// directly with one argument (FormData or a plain object).
import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb, type Database } from "@/db/client";
import type { Actor, Permission } from "@/lib/auth/roles";
import { logUnexpectedError } from "@/lib/http/problem";
import { sessionStaffId } from "./auth";
import { runStaffAction, type ActionResult, type StaffActionSpec } from "./staff-actor";

export type { ActionResult, StaffActionSpec } from "./staff-actor";

type ActionArgs<S extends z.ZodType> = [input: FormData | z.input<S>] | [previous: unknown, input: FormData | z.input<S>];

export function staffAction<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>): (...args: ActionArgs<S>) => Promise<ActionResult<T>>;
export function staffAction<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  fn: (input: z.output<S>, actor: Actor, db: Database) => Promise<T>,
): (...args: ActionArgs<S>) => Promise<ActionResult<T>>;
export function staffAction<S extends z.ZodType, T>(
  specOrPermission: StaffActionSpec<S, T> | Permission,
  schema?: S,
  fn?: (input: z.output<S>, actor: Actor, db: Database) => Promise<T>,
): (...args: ActionArgs<S>) => Promise<ActionResult<T>> {
  const spec: StaffActionSpec<S, T> =
    typeof specOrPermission === "string" ? { permission: specOrPermission, schema: schema!, run: fn! } : specOrPermission;
  return async (...args) => {
    const rawInput = args.length >= 2 ? args[1] : args[0];
    const requestId = randomUUID();
    try {
      return await runStaffAction({
        db: getDb(),
        staffId: await sessionStaffId(),
        permission: spec.permission,
        schema: spec.schema,
        rawInput,
        fn: spec.run,
        requestId,
      });
    } catch (error) {
      // redirect() / notFound() inside an action are control flow, not failures.
      unstable_rethrow(error);
      logUnexpectedError(error, { requestId, permission: spec.permission });
      return { ok: false, code: "internal", error: `Something went wrong on our side (reference ${requestId}).` };
    }
  };
}
