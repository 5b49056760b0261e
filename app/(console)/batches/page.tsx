import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { getDb } from "@/db/client";
import { batchKind, batchStatus } from "@/db/schema";
import { requireStaff } from "@/app/_server/require-staff";
import { BatchesTable, type BatchRow } from "@/app/(console)/batches/_components/batches-table";
import { batchKindLabels } from "@/app/(console)/batches/_components/batch-status-badge";
import type { DataTableFilter } from "@/components/data-table/features";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { humanize } from "@/components/format";
import { can } from "@/lib/auth/roles";
import { batchListInput, listBatchesPage } from "@/lib/batches/list-batches";

export const metadata: Metadata = { title: "Batches" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const filters: DataTableFilter[] = [
  { id: "status", label: "Status", kind: "select", options: batchStatus.enumValues.map((s) => ({ value: s, label: humanize(s) })) },
  { id: "kind", label: "Kind", kind: "select", options: batchKind.enumValues.map((k) => ({ value: k, label: batchKindLabels[k] })) },
];

export default async function BatchesPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireStaff("view");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // A hand-edited URL with a bad value shows the unfiltered first page rather than an error.
  const parsed = batchListInput.safeParse({ ...raw, limit: 50 });
  const input = parsed.success ? parsed.data : batchListInput.parse({});
  const page = await listBatchesPage(getDb(), actor, input);

  const rows: BatchRow[] = page.rows.map((b) => ({
    id: b.id,
    kind: b.kind,
    status: b.status,
    requested: b.requested,
    selected: b.selected,
    invited: b.invited,
    notified: b.notified,
    failed: b.failed,
    truncatedReason: b.truncatedReason,
    createdBy: b.createdByEmail ?? "unknown",
    createdAt: b.createdAt.toISOString(),
  }));
  const canManage = can(actor.role, "manage_batches");
  const paged = Boolean(input.after || input.before);

  return (
    <>
      <PageHeader
        title="Batches"
        description="Each batch is one staff decision — invite the next people in the queue, a pasted list, member quotas or reactivations — run by the workers with live progress."
        actions={
          canManage ? (
            <Link href="/batches/new" className={buttonClasses("primary")}>
              <Plus className="size-4" aria-hidden /> New batch
            </Link>
          ) : null
        }
      />
      <BatchesTable
        rows={rows}
        filters={filters}
        cursors={{ next: page.nextCursor, previous: page.previousCursor }}
        summary={`${rows.length} ${rows.length === 1 ? "batch" : "batches"}${paged || page.nextCursor ? " on this page" : ""}`}
        filtered={Boolean(input.status || input.kind)}
        canManage={canManage}
      />
    </>
  );
}
