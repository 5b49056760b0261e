"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { LoaderCircle } from "lucide-react";
import type { ActionResult } from "@/lib/action-result";
import { createPhaseAction } from "../actions";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, FormSection } from "@/components/ui/card";
import { Field, inputClasses } from "@/components/ui/field";

type State = ActionResult<{ id: string; slug: string }> | null;

export function PhaseForm() {
  const router = useRouter();
  const [state, setState] = useState<State>(null);
  const [pending, startTransition] = useTransition();
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  // Submitted by hand rather than through <form action>: React resets a form after an action,
  // which would wipe what the user typed whenever validation fails.
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await createPhaseAction(form);
      setState(result);
      if (result.ok) {
        toast.success(`Phase ${result.data.slug} created as a draft`);
        router.push("/phases");
      }
    });
  }

  const input = (name: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <input
      id={name}
      name={name}
      aria-invalid={errors[name] ? true : undefined}
      aria-describedby={errors[name] ? `${name}-error` : undefined}
      className={inputClasses}
      {...props}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Card>
        {state && !state.ok ? (
          <div role="alert" data-testid="form-error" className="mx-6 mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            {state.error}
          </div>
        ) : null}
        <FormSection title="Identity" description="How staff and the app refer to the phase.">
          <Field label="Name" htmlFor="name" error={errors.name}>
            {input("name", { placeholder: "Closed beta — wave 2", required: true })}
          </Field>
          <Field label="Slug" htmlFor="slug" error={errors.slug} hint="lowercase-with-dashes, unique">
            {input("slug", { placeholder: "wave-2", required: true })}
          </Field>
          <Field label="Kind" htmlFor="kind" error={errors.kind}>
            <select id="kind" name="kind" defaultValue="closed" className={inputClasses}>
              <option value="internal">Internal — allow-listed employees only</option>
              <option value="closed">Closed — by invitation</option>
              <option value="open">Open — verification admits directly</option>
            </select>
          </Field>
        </FormSection>
        <FormSection title="Schedule" description="Optional. Times are UTC. Scheduling happens from the list.">
          <Field label="Starts at (UTC)" htmlFor="startsAt" error={errors.startsAt}>
            {input("startsAt", { type: "datetime-local" })}
          </Field>
          <Field label="Ends at (UTC)" htmlFor="endsAt" error={errors.endsAt}>
            {input("endsAt", { type: "datetime-local" })}
          </Field>
        </FormSection>
        <FormSection title="Limits" description="Empty means no limit. Batches and member invites are truncated at these limits.">
          <Field label="Capacity (members)" htmlFor="capacity" error={errors.capacity}>
            {input("capacity", { type: "number", min: 0, inputMode: "numeric" })}
          </Field>
          <Field label="Daily admission cap" htmlFor="dailyAdmissionCap" error={errors.dailyAdmissionCap}>
            {input("dailyAdmissionCap", { type: "number", min: 0, inputMode: "numeric" })}
          </Field>
          <Field label="Invites per member" htmlFor="memberInviteQuota" error={errors.memberInviteQuota}>
            {input("memberInviteQuota", { type: "number", min: 0, max: 1000, defaultValue: 0 })}
          </Field>
          <Field label="Invitation lifetime (hours)" htmlFor="invitationTtlHours" error={errors.invitationTtlHours}>
            {input("invitationTtlHours", { type: "number", min: 1, max: 2160, defaultValue: 72 })}
          </Field>
          <Field label="Expired invitations go back" htmlFor="expiredPlacement" error={errors.expiredPlacement}>
            <select id="expiredPlacement" name="expiredPlacement" defaultValue="original" className={inputClasses}>
              <option value="original">to their original place</option>
              <option value="back">to the back of the queue</option>
            </select>
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
            <input type="checkbox" name="autoReactivateExpired" className="size-4 accent-brand-600" />
            Put expired invitees back in the queue automatically
          </label>
        </FormSection>
        <FormSection title="Eligibility" description="Who can be admitted in this phase.">
          <Field label="Countries" htmlFor="countries" error={errors.countries} hint="Two-letter codes, comma-separated; empty = every country">
            {input("countries", { placeholder: "FR, BE, CH" })}
          </Field>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium text-slate-700">Platforms</legend>
            <div className="flex gap-4 pt-1.5 text-sm text-slate-700">
              {["android", "ios"].map((p) => (
                <label key={p} className="flex items-center gap-2">
                  <input type="checkbox" name="platforms" value={p} defaultChecked className="size-4 accent-brand-600" />
                  {p === "ios" ? "iOS" : "Android"}
                </label>
              ))}
            </div>
            {errors.platforms ? <p className="text-xs text-red-600">{errors.platforms}</p> : null}
          </fieldset>
          <Field label="Employee phones (internal phases)" htmlFor="allowedPhones" error={errors.allowedPhones} className="sm:col-span-2" hint="One E.164 number per line">
            <textarea id="allowedPhones" name="allowedPhones" rows={3} className={inputClasses} placeholder={"+33612345678\n+33698765432"} />
          </Field>
        </FormSection>
        <div className="flex justify-end gap-2 rounded-b-xl bg-slate-50 px-6 py-4">
          <Link href="/phases" className={buttonClasses("ghost")}>
            Cancel
          </Link>
          <Button type="submit" disabled={pending}>
            {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
            Create phase
          </Button>
        </div>
      </Card>
    </form>
  );
}
