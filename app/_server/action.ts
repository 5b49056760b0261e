// The one wrapper for console server actions (STYLE.md §5): session → staff row re-read from the
// database (current role; disabled staff refused) → permission → zod parse → lib call → result.
// Use it in a "use server" file:
//   export const activatePhase = staffAction("manage_phases", activatePhaseInput, (input, actor) =>
//     activatePhaseInLib(getDb(), actor, input));
// It works both as a form action with useActionState `(prevState, formData)` and when called
// directly with one argument (FormData or a plain object).
import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import type { Actor, Permission } from "@/lib/auth/roles";
import { logUnexpectedError } from "@/lib/http/problem";
import { sessionStaffId } from "./auth";
import { runStaffAction, type ActionResult } from "./staff-actor";

export type { ActionResult } from "./staff-actor";

export function staffAction<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  fn: (input: z.output<S>, actor: Actor) => Promise<T>,
): (...args: [input: FormData | z.input<S>] | [previous: unknown, input: FormData | z.input<S>]) => Promise<ActionResult<T>> {
  return async (...args) => {
    const rawInput = args.length >= 2 ? args[1] : args[0];
    const requestId = randomUUID();
    try {
      return await runStaffAction({ db: getDb(), staffId: await sessionStaffId(), permission, schema, rawInput, fn, requestId });
    } catch (error) {
      // redirect() / notFound() inside an action are control flow, not failures.
      unstable_rethrow(error);
      logUnexpectedError(error, { requestId, permission });
      return { ok: false, code: "internal", error: `Something went wrong on our side (reference ${requestId}).` };
    }
  };
}
