"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { LoaderCircle, Lock } from "lucide-react";
import type { Phase, Platform } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import { createPhaseAction, updatePhaseAction } from "../actions";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, FormSection } from "@/components/ui/card";
import { Field, inputClasses } from "@/components/ui/field";
import { AllowListFields, type AllowListView } from "./allow-list-fields";

type State = ActionResult<{ id: string; slug: string }> | null;

/** A phase as the edit form starts from (times as ISO strings). */
export type PhaseFormValues = Pick<
  Phase,
  | "id"
  | "slug"
  | "name"
  | "kind"
  | "status"
  | "capacity"
  | "dailyAdmissionCap"
  | "memberInviteQuota"
  | "invitationTtlHours"
  | "expiredPlacement"
  | "autoReactivateExpired"
  | "countries"
  | "platforms"
> & { startsAt: string | null; endsAt: string | null };

/** `<input type="datetime-local">` value of an ISO time, in UTC (the form says so). */
const localValue = (iso: string | null) => (iso ? iso.slice(0, 16) : "");

/**
 * Creates a phase, or edits one (`phase` given). While a phase is active its slug, kind, start
 * and invites per member are fixed: shown, not sent.
 */
export function PhaseForm({ phase, allowList }: { phase?: PhaseFormValues; allowList?: AllowListView }) {
  const router = useRouter();
  const [state, setState] = useState<State>(null);
  const [pending, startTransition] = useTransition();
  const [kind, setKind] = useState(phase?.kind ?? "closed");
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const running = phase?.status === "active";
  const fixedHint = running ? "Fixed while the phase is active" : undefined;

  // Submitted by hand rather than through <form action>: React resets a form after an action,
  // which would wipe what the user typed whenever validation fails.
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = phase ? await updatePhaseAction(form) : await createPhaseAction(form);
      setState(result);
      if (!result.ok) return;
      if (phase) {
        toast.success("Changes saved");
        router.push(`/phases/${phase.id}`);
        router.refresh();
      } else {
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
  const fixed = running ? { disabled: true, className: `${inputClasses} disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500` } : {};

  return (
    <form onSubmit={submit} noValidate>
      {phase ? (
        <>
          <input type="hidden" name="phaseId" value={phase.id} />
          <input type="hidden" name="scope" value={running ? "running" : "all"} />
        </>
      ) : null}
      <Card>
        {state && !state.ok ? (
          <div role="alert" data-testid="form-error" className="mx-6 mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            {state.error}
          </div>
        ) : null}
        {running ? (
          <p className="mx-6 mt-6 flex items-center gap-2 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-800 ring-1 ring-inset ring-sky-200">
            <Lock className="size-4 shrink-0" aria-hidden />
            This phase is active: limits, end, invitations and eligibility can be tuned; its slug, kind, start and invites per member are fixed.
          </p>
        ) : null}
        <FormSection title="Identity" description="How staff and the app refer to the phase.">
          <Field label="Name" htmlFor="name" error={errors.name}>
            {input("name", { placeholder: "Closed beta — wave 2", required: true, defaultValue: phase?.name })}
          </Field>
          <Field label="Slug" htmlFor="slug" error={errors.slug} hint={fixedHint ?? "lowercase-with-dashes, unique"}>
            {input("slug", { placeholder: "wave-2", required: true, defaultValue: phase?.slug, ...fixed })}
          </Field>
          <Field label="Kind" htmlFor="kind" error={errors.kind} hint={fixedHint}>
            <select
              id="kind"
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as PhaseFormValues["kind"])}
              className={inputClasses}
              {...fixed}
            >
              <option value="internal">Internal — allow-listed employees only</option>
              <option value="closed">Closed — by invitation</option>
              <option value="open">Open — verification admits directly</option>
            </select>
          </Field>
        </FormSection>
        <FormSection
          title="Schedule"
          description={phase ? "Times are UTC. A scheduled phase needs a start." : "Optional. Times are UTC. Scheduling happens from the list."}
        >
          <Field label="Starts at (UTC)" htmlFor="startsAt" error={errors.startsAt} hint={fixedHint}>
            {input("startsAt", { type: "datetime-local", defaultValue: localValue(phase?.startsAt ?? null), ...fixed })}
          </Field>
          <Field label="Ends at (UTC)" htmlFor="endsAt" error={errors.endsAt} hint={phase ? "Empty: open-ended" : undefined}>
            {input("endsAt", { type: "datetime-local", defaultValue: localValue(phase?.endsAt ?? null) })}
          </Field>
        </FormSection>
        <FormSection title="Limits" description="Empty means no limit. Batches and member invites are truncated at these limits.">
          <Field label="Capacity (members)" htmlFor="capacity" error={errors.capacity}>
            {input("capacity", { type: "number", min: 0, inputMode: "numeric", defaultValue: phase?.capacity ?? undefined })}
          </Field>
          <Field label="Daily admission cap" htmlFor="dailyAdmissionCap" error={errors.dailyAdmissionCap}>
            {input("dailyAdmissionCap", { type: "number", min: 0, inputMode: "numeric", defaultValue: phase?.dailyAdmissionCap ?? undefined })}
          </Field>
          <Field label="Invites per member" htmlFor="memberInviteQuota" error={errors.memberInviteQuota} hint={fixedHint ?? "Every member is topped up to this at activation"}>
            {input("memberInviteQuota", { type: "number", min: 0, max: 1000, defaultValue: phase?.memberInviteQuota ?? 0, ...fixed })}
          </Field>
          <Field label="Invitation lifetime (hours)" htmlFor="invitationTtlHours" error={errors.invitationTtlHours}>
            {input("invitationTtlHours", { type: "number", min: 1, max: 2160, defaultValue: phase?.invitationTtlHours ?? 72 })}
          </Field>
          <Field label="Expired invitations go back" htmlFor="expiredPlacement" error={errors.expiredPlacement}>
            <select id="expiredPlacement" name="expiredPlacement" defaultValue={phase?.expiredPlacement ?? "original"} className={inputClasses}>
              <option value="original">to their original place</option>
              <option value="back">to the back of the queue</option>
            </select>
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
            <input type="checkbox" name="autoReactivateExpired" defaultChecked={phase?.autoReactivateExpired ?? false} className="size-4 accent-brand-600" />
            Put expired invitees back in the queue automatically
          </label>
        </FormSection>
        <FormSection title="Eligibility" description="Who can be admitted in this phase.">
          <Field label="Countries" htmlFor="countries" error={errors.countries} hint="Two-letter codes, comma-separated; empty = every country">
            {input("countries", { placeholder: "FR, BE, CH", defaultValue: phase?.countries?.join(", ") ?? "" })}
          </Field>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium text-slate-700">Platforms</legend>
            <div className="flex gap-4 pt-1.5 text-sm text-slate-700">
              {["android", "ios"].map((p) => (
                <label key={p} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    name="platforms"
                    value={p}
                    defaultChecked={!phase?.platforms?.length || phase.platforms.includes(p as Platform)}
                    className="size-4 accent-brand-600"
                  />
                  {p === "ios" ? "iOS" : "Android"}
                </label>
              ))}
            </div>
            {errors.platforms ? <p className="text-xs text-red-600">{errors.platforms}</p> : null}
          </fieldset>
          {kind === "internal" ? <AllowListFields allowList={allowList} errors={errors} /> : null}
        </FormSection>
        <div className="flex justify-end gap-2 rounded-b-xl bg-slate-50 px-6 py-4">
          <Link href={phase ? `/phases/${phase.id}` : "/phases"} className={buttonClasses("ghost")}>
            Cancel
          </Link>
          <Button type="submit" disabled={pending}>
            {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
            {phase ? "Save changes" : "Create phase"}
          </Button>
        </div>
      </Card>
    </form>
  );
}
