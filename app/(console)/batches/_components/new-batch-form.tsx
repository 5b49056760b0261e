"use client";

import { useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Eye, LoaderCircle, Send, Upload } from "lucide-react";
import type { BatchKind } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import { createBatchAction, previewBatchAction } from "../actions";
import type { BatchPreview } from "@/lib/batches/preview";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, FormSection } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, inputClasses } from "@/components/ui/field";
import { formatCount } from "@/components/format";
import { BatchPreviewPanel } from "./batch-preview";
import { batchKindLabels } from "./batch-status-badge";

const kindDescriptions: Record<BatchKind, string> = {
  admit_next: "Invite the next N eligible people in queue order.",
  targeted: "Invite a list of phone numbers or registration ids.",
  member_quota: "Add invites to every member matching a filter.",
  reactivate: "Re-invite people whose invitation expired.",
};

type Failure = Extract<ActionResult<unknown>, { ok: false }>;

export function NewBatchForm({ phases, idempotencyKey }: { phases: { id: string; name: string }[]; idempotencyKey: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  // One key per form instance: a double click on Confirm (or a retry) makes one batch.
  const [key] = useState(idempotencyKey);
  const [kind, setKind] = useState<BatchKind>("admit_next");
  const [targets, setTargets] = useState("");
  const [preview, setPreview] = useState<BatchPreview | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [previewing, startPreview] = useTransition();
  const [confirming, startConfirm] = useTransition();
  const errors = failure?.fieldErrors ?? {};

  // Submitted by hand rather than through <form action>: React resets a form after an action,
  // which would wipe what the user typed whenever validation fails.
  function runPreview(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startPreview(async () => {
      const result = await previewBatchAction(form);
      if (result.ok) {
        setFailure(null);
        setPreview(result.data);
      } else {
        setFailure(result);
        setPreview(null);
      }
    });
  }

  function confirm() {
    if (!formRef.current) return;
    const form = new FormData(formRef.current);
    form.set("idempotencyKey", key);
    startConfirm(async () => {
      const result = await createBatchAction(form);
      if (result.ok) {
        toast.success(result.data.created ? "Batch created: the workers are on it" : "This batch was already created");
        router.push(`/batches/${result.data.id}`);
      } else {
        setFailure(result);
        toast.error(result.error);
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

  const registrationFilters = (
    <>
      <Field label="Countries" htmlFor="country" error={errors.country} hint="Two-letter codes, comma-separated; empty = all">
        {input("country", { placeholder: "FR, BE" })}
      </Field>
      <Field label="Platform" htmlFor="platform" error={errors.platform}>
        <select id="platform" name="platform" defaultValue="" className={inputClasses}>
          <option value="">Any platform</option>
          <option value="android">Android</option>
          <option value="ios">iOS</option>
        </select>
      </Field>
    </>
  );

  async function readCsv(file: File | undefined) {
    if (!file) return;
    setTargets(await file.text());
    setPreview(null);
    toast.info(`Read ${file.name}`);
  }

  return (
    // Any edit makes the preview stale: confirming needs a fresh one.
    <form ref={formRef} onSubmit={runPreview} onChange={() => setPreview(null)} noValidate className="space-y-6">
      <Card>
        {failure ? (
          <div role="alert" data-testid="form-error" className="mx-6 mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            {failure.error}
          </div>
        ) : null}
        <fieldset className="px-6 pt-6 pb-2">
          <legend className="sr-only">Kind of batch</legend>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {(Object.keys(batchKindLabels) as BatchKind[]).map((k) => (
              <label
                key={k}
                className={cn(
                  "cursor-pointer rounded-lg p-3 ring-1 ring-inset transition-colors focus-within:ring-2 focus-within:ring-brand-500",
                  kind === k ? "bg-brand-50 ring-brand-300" : "ring-slate-200 hover:bg-slate-50",
                )}
              >
                <span className="flex items-center gap-2 text-sm font-medium text-slate-900">
                  <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="accent-brand-600" />
                  {batchKindLabels[k]}
                </span>
                <span className="mt-1 block text-xs text-slate-500">{kindDescriptions[k]}</span>
              </label>
            ))}
          </div>
        </fieldset>

        {kind === "admit_next" ? (
          <FormSection title="Who" description="The head of the queue, in order, among people eligible for the active phase and not on hold.">
            <Field label="How many" htmlFor="size" error={errors.size}>
              {input("size", { type: "number", min: 1, inputMode: "numeric", placeholder: "1000", required: true })}
            </Field>
            <Field label="Registered before (UTC)" htmlFor="registeredBefore" error={errors.registeredBefore}>
              {input("registeredBefore", { type: "datetime-local" })}
            </Field>
            {registrationFilters}
          </FormSection>
        ) : null}

        {kind === "targeted" ? (
          <FormSection title="Who" description="One phone number (international form) or registration id per line, or a CSV whose cells hold them.">
            <Field label="Phones or ids" htmlFor="targets" error={errors.targets} className="sm:col-span-2">
              <textarea
                id="targets"
                name="targets"
                rows={8}
                value={targets}
                onChange={(e) => setTargets(e.target.value)}
                aria-invalid={errors.targets ? true : undefined}
                className={cn(inputClasses, "font-mono")}
                placeholder={"+33612345678\n+44 7700 900123\n0b4e7c1e-…"}
              />
            </Field>
            <label className={cn(buttonClasses("secondary", "sm"), "w-fit cursor-pointer")}>
              <Upload className="size-4" aria-hidden /> Upload CSV
              <input type="file" accept=".csv,.txt,text/csv,text/plain" className="sr-only" onChange={(e) => readCsv(e.target.files?.[0])} />
            </label>
          </FormSection>
        ) : null}

        {kind === "member_quota" ? (
          <FormSection title="Grant" description="Every matching member gets this many more invites to share.">
            <Field label="Invites per member" htmlFor="amount" error={errors.amount}>
              {input("amount", { type: "number", min: 1, max: 1000, inputMode: "numeric", placeholder: "2", required: true })}
            </Field>
            <Field label="Admitted in phase" htmlFor="phaseId" error={errors.phaseId}>
              <select id="phaseId" name="phaseId" defaultValue="" className={inputClasses}>
                <option value="">Any phase</option>
                {phases.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Admitted before (UTC)" htmlFor="admittedBefore" error={errors.admittedBefore}>
              {input("admittedBefore", { type: "datetime-local" })}
            </Field>
          </FormSection>
        ) : null}

        {kind === "reactivate" ? (
          <FormSection title="Who" description="People whose invitation expired, re-invited into the active phase.">
            <Field label="At most" htmlFor="size" error={errors.size} hint="Empty = everyone matching">
              {input("size", { type: "number", min: 1, inputMode: "numeric" })}
            </Field>
            <Field label="Expired before (UTC)" htmlFor="expiredBefore" error={errors.expiredBefore}>
              {input("expiredBefore", { type: "datetime-local" })}
            </Field>
            {registrationFilters}
          </FormSection>
        ) : null}

        <div className="flex justify-end gap-2 rounded-b-xl bg-slate-50 px-6 py-4">
          <Link href="/batches" className={buttonClasses("ghost")}>
            Cancel
          </Link>
          <Button type="submit" variant="secondary" disabled={previewing}>
            {previewing ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : <Eye className="size-4" aria-hidden />}
            Preview
          </Button>
        </div>
      </Card>

      {preview ? (
        <Card>
          <div className="border-b border-slate-100 px-6 py-4">
            <h2 className="text-sm font-semibold text-slate-900">Preview</h2>
            <p className="mt-0.5 text-xs text-slate-500">A dry run against the queue as it is now. Nothing is sent until you confirm.</p>
          </div>
          <div className="px-6 py-5">
            <BatchPreviewPanel preview={preview} />
          </div>
          <div className="flex items-center justify-end gap-3 rounded-b-xl bg-slate-50 px-6 py-4">
            {preview.selected === 0 ? <p className="text-sm text-slate-500">Nobody would be selected: change the filters.</p> : null}
            <Button type="button" disabled={confirming || preview.selected === 0} onClick={confirm}>
              {confirming ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : <Send className="size-4" aria-hidden />}
              Confirm — {preview.kind === "member_quota" ? `grant ${formatCount(preview.selected)} members` : `invite ${formatCount(preview.selected)}`}
            </Button>
          </div>
        </Card>
      ) : null}
    </form>
  );
}
