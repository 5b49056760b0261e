import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { getDb } from "@/db/client";
import type { Batch } from "@/db/schema";
import { requireStaff } from "@/app/_server/require-staff";
import { BatchFailuresTable } from "@/app/(console)/batches/_components/batch-failures-table";
import { BatchProgress } from "@/app/(console)/batches/_components/batch-progress";
import { BatchStatusBadge, batchKindLabels } from "@/app/(console)/batches/_components/batch-status-badge";
import { formatCount } from "@/components/format";
import { AutoRefresh } from "@/components/auto-refresh";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { getBatch, listBatchFailures, presentBatch } from "@/lib/batches/get-batch";
import { isAppError } from "@/lib/errors";
import { phasesById } from "@/lib/phases/list-phases";
import { getStaffById } from "@/lib/staff/find-staff";
import { cancelBatchAction } from "../actions";
import { DetailRow } from "@/components/ui/detail-row";
import { isUuid } from "@/lib/validation/fields";

export const metadata: Metadata = { title: "Batch" };

const FAILURES_SHOWN = 100;

const paramLabels: Record<string, string> = {
  size: "Size",
  amount: "Invites per member",
  list: "List",
  country: "Countries",
  platform: "Platform",
  registeredBefore: "Registered before",
  phaseId: "Admitted in phase",
  admittedBefore: "Admitted before",
  expiredBefore: "Expired before",
};

/** The batch's request as staff read it: filters and sizes, a target list as its length. */
function describeParams(params: Record<string, unknown>, phaseNames: Map<string, string>): [string, string][] {
  const lines: [string, string][] = [];
  const { filters, phones, listSize, kind: _kind, invalidCount: _invalid, ...rest } = params;
  for (const [key, value] of Object.entries(rest)) lines.push([paramLabels[key] ?? key, String(value)]);
  if (Array.isArray(phones)) lines.push([paramLabels.list!, `${formatCount(phones.length)} entries`]);
  // The list itself is erased once the retention period has passed.
  if (typeof listSize === "number") lines.push([paramLabels.list!, `${formatCount(listSize)} entries (erased after the retention period)`]);
  if (filters && typeof filters === "object") {
    for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
      const shown = Array.isArray(value) ? value.join(", ") : String(value);
      lines.push([paramLabels[key] ?? key, key === "phaseId" ? (phaseNames.get(shown) ?? shown) : shown]);
    }
  }
  return lines;
}

async function loadBatch(id: string): Promise<Batch | null> {
  return getBatch(getDb(), id).catch((error) => {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  });
}

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireStaff("view");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const batch = await loadBatch(id);
  if (!batch) notFound();
  const db = getDb();
  const shown = presentBatch(batch, actor);
  // member_quota batches name a phase in their filters; the others run in the phase active at creation.
  const filterPhaseId = (shown.params.filters as { phaseId?: string } | undefined)?.phaseId;
  const phaseIds = [batch.phaseId, filterPhaseId].filter((id): id is string => typeof id === "string" && isUuid(id));
  const [failures, creator, phases] = await Promise.all([
    listBatchFailures(db, actor, batch.id, FAILURES_SHOWN),
    getStaffById(db, batch.createdBy),
    phasesById(db, phaseIds),
  ]);
  const active = batch.status === "queued" || batch.status === "running";
  const phase = batch.phaseId ? phases.get(batch.phaseId) : undefined;
  const request = describeParams(shown.params, new Map([...phases.values()].map((p) => [p.id, p.name])));

  return (
    <>
      <Link href="/batches" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> Batches
      </Link>
      <PageHeader
        title={`${batchKindLabels[batch.kind]} batch`}
        description={`Batch ${batch.id} — created by ${creator?.email ?? "unknown"}.`}
        actions={
          <>
            {active ? <AutoRefresh intervalMs={1500} generatedAt={new Date().toISOString()} /> : null}
            {active && can(actor.role, "manage_batches") ? (
              <ConfirmAction
                label="Cancel batch"
                title="Cancel this batch?"
                description="Workers stop after the chunk in progress. People already invited stay invited; the rest are not."
                confirmLabel="Cancel batch"
                confirmVariant="danger"
                hidden={{ batchId: batch.id }}
                action={cancelBatchAction}
                successMessage="Batch cancelled"
              />
            ) : null}
          </>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title="Progress"
            description={active ? "Updates live while the batch runs." : "Final counts."}
            action={
              <span data-testid="batch-status">
                <BatchStatusBadge status={batch.status} />
              </span>
            }
          />
          <CardBody className="space-y-4">
            <BatchProgress status={batch.status} counters={batch} />
            {batch.truncatedReason ? (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200">
                Fewer than requested: {batch.truncatedReason}
              </p>
            ) : null}
            {batch.error ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
                {batch.error}
              </p>
            ) : null}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Details" />
          <CardBody>
            <dl className="divide-y divide-slate-100">
              <DetailRow label="Kind">{batchKindLabels[batch.kind]}</DetailRow>
              <DetailRow label="Phase">{phase ? <Link href="/phases" className="text-brand-700 hover:underline">{phase.name}</Link> : "—"}</DetailRow>
              {request.map(([label, value]) => (
                <DetailRow key={label} label={label}>
                  <span className="font-mono text-xs">{value}</span>
                </DetailRow>
              ))}
              <DetailRow label="Created">
                <RelativeTime iso={shown.createdAt} />
              </DetailRow>
              <DetailRow label="Started">{shown.startedAt ? <RelativeTime iso={shown.startedAt} /> : "not yet"}</DetailRow>
              <DetailRow label="Finished">{shown.finishedAt ? <RelativeTime iso={shown.finishedAt} /> : "—"}</DetailRow>
              {shown.cancelledAt ? (
                <DetailRow label="Cancelled">
                  <RelativeTime iso={shown.cancelledAt} />
                </DetailRow>
              ) : null}
            </dl>
          </CardBody>
        </Card>
      </div>
      <section className="mt-6">
        <h2 className="mb-3 text-sm font-semibold text-slate-900">Failures</h2>
        {failures.length === 0 ? (
          <Card>
            <CardBody className="text-sm text-slate-500">None so far. Entries the batch cannot process appear here with the reason.</CardBody>
          </Card>
        ) : (
          <BatchFailuresTable
            rows={failures.map((f, i) => ({ key: String(i), registrationId: f.registrationId, input: f.input, reason: f.reason, createdAt: f.createdAt.toISOString() }))}
            summary={batch.failed > failures.length ? `first ${formatCount(failures.length)} of ${formatCount(batch.failed)}` : `${formatCount(failures.length)} ${failures.length === 1 ? "failure" : "failures"}`}
          />
        )}
      </section>
    </>
  );
}
