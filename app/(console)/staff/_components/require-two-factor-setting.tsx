"use client";

import { ShieldCheck } from "lucide-react";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { setRequireTwoFactorAction } from "../actions";

/** The console-wide "every member needs a second factor" switch, with who it would affect. */
export function RequireTwoFactorSetting({ required, withoutTwoFactor }: { required: boolean; withoutTwoFactor: number }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3" data-testid="require-two-factor">
      <p className="flex items-center gap-2 text-sm text-slate-700">
        <ShieldCheck className={required ? "size-4 text-emerald-600" : "size-4 text-slate-400"} aria-hidden />
        {required ? "Every member must have a second factor." : "A second factor is optional."}{" "}
        <span className="text-slate-500">
          {withoutTwoFactor === 0 ? "Every active member has one." : `${withoutTwoFactor} active ${withoutTwoFactor === 1 ? "member has" : "members have"} none${required ? " and will be asked to set one up" : ""}.`}
        </span>
      </p>
      {required ? (
        <ConfirmAction
          label="Make it optional"
          title="Make the second factor optional?"
          description="Members who have one keep it; new and existing members without one are no longer asked to set one up."
          confirmLabel="Make optional"
          confirmVariant="danger"
          hidden={{ requireTwoFactor: "false" }}
          action={setRequireTwoFactorAction}
          successMessage="A second factor is now optional"
        />
      ) : (
        <ConfirmAction
          label="Require for everyone"
          title="Require a second factor for everyone?"
          description={`Members without one (${withoutTwoFactor} now) must set one up before they can do anything else, at their next page load.`}
          confirmLabel="Require it"
          hidden={{ requireTwoFactor: "true" }}
          action={setRequireTwoFactorAction}
          successMessage="Every member now needs a second factor"
        />
      )}
    </div>
  );
}
