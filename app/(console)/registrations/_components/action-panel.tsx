"use client";

import { ConfirmAction } from "@/components/ui/confirm-action";
import { Field, inputClasses } from "@/components/ui/field";
import { humanize } from "@/components/format";
import { boostCategories } from "@/lib/registrations/boost-registration";
import {
  blockRegistrationAction,
  boostRegistrationAction,
  clearRegistrationAction,
  holdRegistrationAction,
  reactivateRegistrationAction,
  releaseSmsBudgetAction,
  removeRegistrationAction,
  resendInvitationAction,
  revokeInvitationAction,
} from "../actions";

/** Every dialog is in the page at once (closed), so each reason field needs its own id. */
function ReasonField({ action, errors, required }: { action: string; errors: Record<string, string>; required: boolean }) {
  const id = `${action}-reason`;
  return (
    <Field label={required ? "Reason" : "Reason (optional)"} htmlFor={id} error={errors.reason} hint="Kept in the audit log.">
      <textarea
        id={id}
        name="reason"
        rows={3}
        aria-invalid={errors.reason ? true : undefined}
        aria-describedby={errors.reason ? `${id}-error` : undefined}
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
  /** Its last code was withheld for an SMS budget. */
  smsBudgetWithheld: boolean;
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
  if (props.canManage && props.smsBudgetWithheld) {
    buttons.push(
      <ConfirmAction
        key="release-sms-budget"
        label="Send withheld code"
        variant="primary"
        title="Send the verification code"
        description="Its code was not sent because an SMS budget was spent. Sending it now spends one SMS outside the budget."
        confirmLabel="Send code"
        hidden={hidden}
        action={releaseSmsBudgetAction}
        successMessage="Verification code sent."
      />,
    );
  }
  if (props.canManage && reactivatable) {
    buttons.push(
      <ConfirmAction
        key="reactivate"
        label="Reactivate"
        variant="primary"
        title="Reactivate this registration"
        description={status === "expired" ? "Back to waiting, placed as the invitation's phase says (original place or back of the queue)." : "Back to waiting at its original place."}
        confirmLabel="Reactivate"
        hidden={hidden}
        action={reactivateRegistrationAction}
        successMessage="Reactivated: the registration is waiting again."
        fields={(errors) => <ReasonField action="reactivate" errors={errors} required={false} />}
      />,
    );
  }
  if (props.canManage && props.hasLiveInvitation) {
    buttons.push(
      <ConfirmAction
        key="resend"
        label="Resend invitation"
        title="Resend the invitation"
        description="A new code goes out; the old code stops working at once."
        confirmLabel="Resend"
        hidden={hidden}
        action={resendInvitationAction}
        successMessage="Invitation resent with a new code."
      />,
      <ConfirmAction
        key="revoke"
        label="Revoke invitation"
        title="Revoke the invitation"
        description="The code stops working and the person goes back to waiting at their place."
        confirmLabel="Revoke invitation"
        confirmVariant="danger"
        hidden={hidden}
        action={revokeInvitationAction}
        successMessage="Invitation revoked."
        fields={(errors) => <ReasonField action="revoke" errors={errors} required={false} />}
      />,
    );
  }
  if (props.canManage) {
    buttons.push(
      review === "hold" ? (
        <ConfirmAction
          key="clear"
          label="Clear hold"
          title="Clear the review hold"
          description="Batches may admit this person again."
          confirmLabel="Clear hold"
          hidden={hidden}
          action={clearRegistrationAction}
          successMessage="Hold cleared."
          fields={(errors) => <ReasonField action="clear" errors={errors} required={false} />}
        />
      ) : (
        <ConfirmAction
          key="hold"
          label="Hold"
          title="Put on hold"
          description="The person keeps their place (position still counts) but no batch admits them until support clears the hold."
          confirmLabel="Hold"
          hidden={hidden}
          action={holdRegistrationAction}
          successMessage="On hold."
          fields={(errors) => <ReasonField action="hold" errors={errors} required={false} />}
        />
      ),
    );
  }
  if (props.canBoost && boostable) {
    buttons.push(
      <ConfirmAction
        key="boost"
        label="Boost"
        title="Boost priority"
        description="Adds staff points to the priority (negative points take them back). Boosts for old-service accounts are refused by policy."
        confirmLabel="Boost"
        hidden={hidden}
        action={boostRegistrationAction}
        successMessage="Priority changed."
        fields={(errors) => (
          <>
            <Field label="Points" htmlFor="points" error={errors.points}>
              <input id="points" name="points" type="number" step={1} min={-1000} max={1000} aria-invalid={errors.points ? true : undefined} className={inputClasses} />
            </Field>
            <Field label="Category" htmlFor="category" error={errors.category}>
              <select id="category" name="category" defaultValue="" aria-invalid={errors.category ? true : undefined} className={inputClasses}>
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
            <ReasonField action="boost" errors={errors} required />
          </>
        )}
      />,
    );
  }
  if (props.canManage && removable) {
    buttons.push(
      <ConfirmAction
        key="remove"
        label="Remove"
        title="Remove from the waitlist"
        description="The person leaves the queue. If they register again they start at the back; staff can reactivate them to their old place."
        confirmLabel="Remove"
        confirmVariant="danger"
        hidden={hidden}
        action={removeRegistrationAction}
        successMessage="Removed from the waitlist."
        fields={(errors) => <ReasonField action="remove" errors={errors} required />}
      />,
    );
  }
  if (props.canManage && blockable) {
    buttons.push(
      <ConfirmAction
        key="block"
        label="Block"
        variant="danger"
        title="Block this phone"
        description="The phone can never register again and any open invitation is revoked. This cannot be undone from the console."
        confirmLabel="Block phone"
        confirmVariant="danger"
        hidden={hidden}
        action={blockRegistrationAction}
        successMessage="Blocked."
        fields={(errors) => <ReasonField action="block" errors={errors} required />}
      />,
    );
  }

  if (buttons.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2" aria-label="Actions" role="group">
      {buttons}
    </div>
  );
}
