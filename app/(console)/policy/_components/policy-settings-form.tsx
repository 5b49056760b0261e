"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Lock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { updatePolicyAction } from "../actions";

/** The editable policy values as the page sends them (arrays already joined for the inputs). */
export interface PolicyFormValues {
  referralBoost: number;
  referralBoostCap: number;
  verificationWindowMinutes: number;
  verificationMaxAttempts: number;
  retentionDays: number;
  allowedCountries: string;
  blockedPrefixes: string;
  velocityWindowMinutes: number;
  velocityMaxPerIp: number;
  velocityMaxPerPrefix: number;
  velocityPrefixDigits: number;
  reminderHoursBeforeExpiry: string;
  smsBudgetCountryPerHour: number;
  smsBudgetPrefixPerHour: number;
  smsBudgetGlobalPerMinute: number;
  prefixHoldMinSends: number;
  prefixHoldMaxVerifiedPct: number;
}

type NumberKey = { [K in keyof PolicyFormValues]: PolicyFormValues[K] extends number ? K : never }[keyof PolicyFormValues];

const groups: { title: string; description: string; fields: { name: NumberKey; label: string; hint: string }[] }[] = [
  {
    title: "Referrals",
    description: "Each verified referral raises the referrer's priority, up to the cap.",
    fields: [
      { name: "referralBoost", label: "Points per verified referral", hint: "0 turns referral points off." },
      { name: "referralBoostCap", label: "Referral points cap", hint: "Most referral points one person can earn." },
    ],
  },
  {
    title: "Verification and retention",
    description: "Unverified registrations lapse; lapsed and removed ones lose their personal data.",
    fields: [
      { name: "verificationWindowMinutes", label: "Verification window (minutes)", hint: "Time to enter the SMS code." },
      { name: "verificationMaxAttempts", label: "Code attempts per device", hint: "Tries one client address gets per registration; others are not affected." },
      { name: "retentionDays", label: "Retention (days)", hint: "Phone and e-mail of lapsed/removed people are erased after this." },
    ],
  },
  {
    title: "Velocity screening",
    description: "Beyond these rates over the window no code is sent, and screening holds the registration for review.",
    fields: [
      { name: "velocityWindowMinutes", label: "Window (minutes)", hint: "" },
      { name: "velocityMaxPerIp", label: "Max per IP address", hint: "" },
      { name: "velocityMaxPerPrefix", label: "Max per number prefix", hint: "" },
      { name: "velocityPrefixDigits", label: "Prefix digits", hint: "National digits after the country code that form a prefix." },
    ],
  },
  {
    title: "SMS budgets",
    description: "Verification codes we pay for. Over a budget no code is sent; the registration is recorded and support can release it.",
    fields: [
      { name: "smsBudgetCountryPerHour", label: "Per country per hour", hint: "Codes to one destination country in a clock hour." },
      { name: "smsBudgetPrefixPerHour", label: "Per prefix per hour", hint: "Codes to one number prefix (see prefix digits) in a clock hour." },
      { name: "smsBudgetGlobalPerMinute", label: "In all per minute", hint: "Every code, every destination, in a clock minute." },
    ],
  },
  {
    title: "Prefix holds",
    description: "A prefix whose codes are rarely verified is held: no more codes to it until an admin releases it.",
    fields: [
      { name: "prefixHoldMinSends", label: "Codes in the last hour", hint: "Judged only from this many codes on." },
      { name: "prefixHoldMaxVerifiedPct", label: "Verified below (%)", hint: "Held when fewer than this share were verified." },
    ],
  },
];

export function PolicySettingsForm({ values, canEdit }: { values: PolicyFormValues; canEdit: boolean }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await updatePolicyAction(form);
      if (result.ok) {
        setErrors({});
        toast.success("Policy saved. Every change is in the audit log.");
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      toast.error(result.error);
    });
  }

  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});

  return (
    <form onSubmit={submit} noValidate aria-label="Policy settings">
      {!canEdit ? (
        <p className="mb-4 flex items-center gap-2 rounded-lg bg-slate-50 px-4 py-3 text-sm text-slate-600 ring-1 ring-slate-200">
          <Lock className="size-4" aria-hidden /> Read-only: only admins change the registration policy.
        </p>
      ) : null}
      <fieldset disabled={!canEdit || pending} className="space-y-6">
        {groups.map((group) => (
          <section key={group.title}>
            <h3 className="text-sm font-semibold text-slate-900">{group.title}</h3>
            <p className="mb-3 text-xs text-slate-500">{group.description}</p>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {group.fields.map((f) => (
                <Field key={f.name} label={f.label} htmlFor={f.name} error={errors[f.name]} hint={f.hint || undefined}>
                  <input id={f.name} name={f.name} type="number" step={1} defaultValue={values[f.name]} className={inputClasses} {...invalid(f.name)} />
                </Field>
              ))}
            </div>
          </section>
        ))}
        <section>
          <h3 className="text-sm font-semibold text-slate-900">Screening lists and reminders</h3>
          <p className="mb-3 text-xs text-slate-500">Countries outside the list and numbers in blocked ranges get no code and are rejected at screening.</p>
          <div className="grid gap-4 lg:grid-cols-3">
            <Field label="Allowed countries" htmlFor="allowedCountries" error={errors.allowedCountries} hint="Two-letter codes, comma separated; empty = every country.">
              <input id="allowedCountries" name="allowedCountries" defaultValue={values.allowedCountries} placeholder="every country" className={inputClasses} {...invalid("allowedCountries")} />
            </Field>
            <Field label="Blocked number prefixes" htmlFor="blockedPrefixes" error={errors.blockedPrefixes} hint="SMS-pumping ranges, one per line, e.g. +88213.">
              <textarea id="blockedPrefixes" name="blockedPrefixes" rows={3} defaultValue={values.blockedPrefixes} className={inputClasses} {...invalid("blockedPrefixes")} />
            </Field>
            <Field label="Invitation reminder (hours before expiry)" htmlFor="reminderHoursBeforeExpiry" error={errors.reminderHoursBeforeExpiry} hint="Empty = no reminders.">
              <input id="reminderHoursBeforeExpiry" name="reminderHoursBeforeExpiry" type="number" step={1} defaultValue={values.reminderHoursBeforeExpiry} className={inputClasses} {...invalid("reminderHoursBeforeExpiry")} />
            </Field>
          </div>
        </section>
        {canEdit ? (
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-4">
            {errors.form ? <p className="text-sm text-red-600">{errors.form}</p> : null}
            <Button type="submit">{pending ? "Saving…" : "Save policy"}</Button>
          </div>
        ) : null}
      </fieldset>
    </form>
  );
}
