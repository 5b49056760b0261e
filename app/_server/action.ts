// The one wrapper for console server actions (STYLE.md §5): session → staff row re-read from the
// database (current role; disabled staff refused) → permission → zod parse → lib call → result.
// Define the action in the feature's action-specs.ts (a plain module, so tests can run it as
// every role):
//   export const activatePhaseSpec = defineStaffAction({ permission: "manage_phases", schema, run: (input, actor, db) => … });
// and expose it from the feature's "use server" actions.ts:
//   export const activatePhaseAction = staffAction(activatePhaseSpec);
// It works both as a form action with useActionState `(prevState, formData)` and when called
// directly with one argument (FormData or a plain object).
import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import type { ActionResult } from "@/lib/action-result";
import { logUnexpectedError } from "@/lib/http/problem";
import { currentRequestId } from "@/lib/log";
import { runStaffAction, type StaffActionSpec } from "./action-spec";
import { sessionStaffId } from "./auth";

type ActionArgs<S extends z.ZodType> = [input: FormData | z.input<S>] | [previous: unknown, input: FormData | z.input<S>];

export function staffAction<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>): (...args: ActionArgs<S>) => Promise<ActionResult<T>> {
  return async (...args) => {
    const rawInput = args.length >= 2 ? args[1] : args[0];
    // The front server's id for this request (its log lines and the jobs it enqueues carry it),
    // so the audit row and an error's reference name the same request.
    const requestId = currentRequestId() ?? randomUUID();
    try {
      return await runStaffAction({
        db: getDb(),
        staffId: await sessionStaffId(),
        permission: spec.permission,
        schema: spec.schema,
        rawInput,
        fn: spec.run,
        requestId,
        allowPendingStep: spec.allowPendingStep,
      });
    } catch (error) {
      // redirect() / notFound() inside an action are control flow, not failures.
      unstable_rethrow(error);
      logUnexpectedError(error, { requestId, permission: spec.permission });
      return { ok: false, code: "internal", error: `Something went wrong on our side (reference ${requestId}).` };
    }
  };
}
