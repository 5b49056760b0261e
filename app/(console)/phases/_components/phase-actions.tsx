"use client";

import Link from "next/link";
import { Pencil } from "lucide-react";
import type { PhaseStatus } from "@/db/schema";
import { buttonClasses } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Field, inputClasses } from "@/components/ui/field";
import { activatePhaseAction, closePhaseAction, schedulePhaseAction } from "../actions";

/** Edit, schedule, activate and close one phase, each change behind a confirmation (the list and the phase page). */
export function PhaseActions({ phase }: { phase: { id: string; name: string; status: PhaseStatus } }) {
  const canSchedule = phase.status === "draft" || phase.status === "scheduled";
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {phase.status !== "closed" ? (
        <Link href={`/phases/${phase.id}/edit`} className={buttonClasses("secondary", "sm")}>
          <Pencil className="size-4" aria-hidden /> Edit
        </Link>
      ) : null}
      {canSchedule ? (
        <ConfirmAction
          label={phase.status === "scheduled" ? "Reschedule" : "Schedule"}
          title={`Schedule “${phase.name}”`}
          description="The phase activates itself at this time, closing the phase active then."
          confirmLabel="Schedule"
          hidden={{ phaseId: phase.id }}
          fields={(errors) => (
            <Field label="Starts at (UTC)" htmlFor={`startsAt-${phase.id}`} error={errors.startsAt}>
              <input id={`startsAt-${phase.id}`} name="startsAt" type="datetime-local" required className={inputClasses} />
            </Field>
          )}
          action={schedulePhaseAction}
          successMessage={`${phase.name} scheduled`}
        />
      ) : null}
      {canSchedule ? (
        <ConfirmAction
          label="Activate"
          variant="primary"
          title={`Activate “${phase.name}” now?`}
          description="The active phase (if any) is closed, and every member's invite balance is topped up to this phase's quota."
          confirmLabel="Activate now"
          hidden={{ phaseId: phase.id }}
          action={activatePhaseAction}
          successMessage={`${phase.name} is now active`}
        />
      ) : null}
      {phase.status !== "closed" ? (
        <ConfirmAction
          label="Close"
          title={`Close “${phase.name}”?`}
          description="No one else is admitted in this phase. This cannot be undone."
          confirmLabel="Close phase"
          confirmVariant="danger"
          hidden={{ phaseId: phase.id }}
          action={closePhaseAction}
          successMessage={`${phase.name} closed`}
        />
      ) : null}
    </div>
  );
}
