"use client";

import { Ban, CirclePause, CirclePlay, Mail, RotateCcw, Trash2, TrendingUp, Undo2 } from "lucide-react";
import { ActionDialog } from "@/components/ui/action-dialog";
import { Field, inputClasses } from "@/components/ui/field";
import { humanize } from "@/components/format";
import { boostCategories } from "@/lib/registrations/staff-actions.schema";
import {
  blockRegistrationAction,
  boostRegistrationAction,
  clearRegistrationAction,
  holdRegistrationAction,
  reactivateRegistrationAction,
  removeRegistrationAction,
  resendInvitationAction,
  revokeInvitationAction,
} from "./actions";

function ReasonField({ errors, required }: { errors: Record<string, string>; required: boolean }) {
  return (
    <Field label={required ? "Reason" : "Reason (optional)"} htmlFor="reason" error={errors.reason} hint="Kept in the audit log.">
      <textarea
        id="reason"
        name="reason"
        rows={3}
        required={required}
        aria-invalid={errors.reason ? true : undefined}
        aria-describedby={errors.reason ? "reason-error" : undefined}
        className={inputClasses}
      />
    </Field>
  );
}

/**
 * The actions this staff member may take on this registration in its current state; the server
 * checks both again. Nothing is offered that the role may not do.
 */
export function RegistrationActionPanel(props: {
  registrationId: string;
  status: string;
  review: string;
  hasLiveInvitation: boolean;
  canManage: boolean;
  canBoost: boolean;
}) {
  const { registrationId: id, status, review } = props;
  const hidden = { registrationId: id };
  const removable = ["waiting", "pending_verification", "expired"].includes(status);
  const blockable = !["admitted", "blocked"].includes(status);
  const boostable = ["pending_verification", "waiting", "invited", "expired"].includes(status);
  const reactivatable = status === "expired" || status === "removed";

  const buttons: React.ReactNode[] = [];
  if (props.canManage && reactivatable) {
    buttons.push(
      <ActionDialog
        key="reactivate"
        label="Reactivate"
        icon={<RotateCcw className="size-4" aria-hidden />}
        variant="primary"
        title="Reactivate this registration"
        description={status === "expired" ? "Back to waiting, placed as the invitation's phase says (original place or back of the queue)." : "Back to waiting at its original place."}
        confirmLabel="Reactivate"
        hidden={hidden}
        action={reactivateRegistrationAction}
        success="Reactivated: the registration is waiting again."
      >
        {(errors) => <ReasonField errors={errors} required={false} />}
      </ActionDialog>,
    );
  }
  if (props.canManage && props.hasLiveInvitation) {
    buttons.push(
      <ActionDialog
        key="resend"
        label="Resend invitation"
        icon={<Mail className="size-4" aria-hidden />}
        title="Resend the invitation"
        description="A new code goes out; the old code stops working at once."
        confirmLabel="Resend"
        hidden={hidden}
        action={resendInvitationAction}
        success="Invitation resent with a new code."
      />,
      <ActionDialog
        key="revoke"
        label="Revoke invitation"
        icon={<Undo2 className="size-4" aria-hidden />}
        title="Revoke the invitation"
        description="The code stops working and the person goes back to waiting at their place."
        confirmLabel="Revoke invitation"
        confirmVariant="danger"
        hidden={hidden}
        action={revokeInvitationAction}
        success="Invitation revoked."
      >
        {(errors) => <ReasonField errors={errors} required={false} />}
      </ActionDialog>,
    );
  }
  if (props.canManage) {
    buttons.push(
      review === "hold" ? (
        <ActionDialog
          key="clear"
          label="Clear hold"
          icon={<CirclePlay className="size-4" aria-hidden />}
          title="Clear the review hold"
          description="Batches may admit this person again."
          confirmLabel="Clear hold"
          hidden={hidden}
          action={clearRegistrationAction}
          success="Hold cleared."
        >
          {(errors) => <ReasonField errors={errors} required={false} />}
        </ActionDialog>
      ) : (
        <ActionDialog
          key="hold"
          label="Hold"
          icon={<CirclePause className="size-4" aria-hidden />}
          title="Put on hold"
          description="The person keeps their place (position still counts) but no batch admits them until support clears the hold."
          confirmLabel="Hold"
          hidden={hidden}
          action={holdRegistrationAction}
          success="On hold."
        >
          {(errors) => <ReasonField errors={errors} required={false} />}
        </ActionDialog>
      ),
    );
  }
  if (props.canBoost && boostable) {
    buttons.push(
      <ActionDialog
        key="boost"
        label="Boost"
        icon={<TrendingUp className="size-4" aria-hidden />}
        title="Boost priority"
        description="Adds staff points to the priority (negative points take them back). Boosts for old-service accounts are refused by policy."
        confirmLabel="Boost"
        hidden={hidden}
        action={boostRegistrationAction}
        success="Priority changed."
      >
        {(errors) => (
          <>
            <Field label="Points" htmlFor="points" error={errors.points}>
              <input id="points" name="points" type="number" step={1} min={-1000} max={1000} required aria-invalid={errors.points ? true : undefined} className={inputClasses} />
            </Field>
            <Field label="Category" htmlFor="category" error={errors.category}>
              <select id="category" name="category" required defaultValue="" aria-invalid={errors.category ? true : undefined} className={inputClasses}>
                <option value="" disabled>
                  Pick a category
                </option>
                {boostCategories.map((c) => (
                  <option key={c} value={c}>
                    {humanize(c)}
                  </option>
                ))}
              </select>
            </Field>
            <ReasonField errors={errors} required />
          </>
        )}
      </ActionDialog>,
    );
  }
  if (props.canManage && removable) {
    buttons.push(
      <ActionDialog
        key="remove"
        label="Remove"
        icon={<Trash2 className="size-4" aria-hidden />}
        title="Remove from the waitlist"
        description="The person leaves the queue. If they register again they start at the back; staff can reactivate them to their old place."
        confirmLabel="Remove"
        confirmVariant="danger"
        hidden={hidden}
        action={removeRegistrationAction}
        success="Removed from the waitlist."
      >
        {(errors) => <ReasonField errors={errors} required />}
      </ActionDialog>,
    );
  }
  if (props.canManage && blockable) {
    buttons.push(
      <ActionDialog
        key="block"
        label="Block"
        icon={<Ban className="size-4" aria-hidden />}
        variant="danger"
        title="Block this phone"
        description="The phone can never register again and any open invitation is revoked. This cannot be undone from the console."
        confirmLabel="Block phone"
        confirmVariant="danger"
        hidden={hidden}
        action={blockRegistrationAction}
        success="Blocked."
      >
        {(errors) => <ReasonField errors={errors} required />}
      </ActionDialog>,
    );
  }

  if (buttons.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2" aria-label="Actions" role="group">
      {buttons}
    </div>
  );
}
