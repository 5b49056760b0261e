import { cursorsOf } from "@/components/data-table/features";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { AuditTable, type AuditRow } from "@/app/(console)/audit/_components/audit-table";
import type { DataTableFilter } from "@/components/data-table/features";
import { PageHeader } from "@/components/ui/page-header";
import { formatListCount } from "@/components/format";
import {
  auditListInput,
  countAuditEvents,
  listAuditEvents,
  listAuditFilterOptions,
} from "@/lib/audit/list-audit-events";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `capacity: 1000 → 1200, name: "Wave 1"` — the changed keys of flat before/after objects. */
function compactChange(before: unknown, after: unknown): string | null {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (before == null && after == null) return null;
  if (!isRecord(after) || (before != null && !isRecord(before))) return `${show(before ?? "")} → ${show(after)}`;
  const old = isRecord(before) ? before : {};
  const keys = [...new Set([...Object.keys(old), ...Object.keys(after)])];
  const parts = keys
    .filter((k) => before == null || JSON.stringify(old[k]) !== JSON.stringify(after[k]))
    .map((k) => (before == null || !(k in old) ? `${k}: ${show(after[k])}` : `${k}: ${show(old[k])} → ${show(after[k])}`));
  return parts.length ? parts.join(", ") : null;
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireStaff("view");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // A hand-edited URL with a bad value shows the unfiltered first page rather than an error.
  const parsed = auditListInput.safeParse({ ...raw, dir: raw.dir, limit: 50 });
  const input = parsed.success ? parsed.data : auditListInput.parse({});

  const db = getDb();
  const [page, count, options] = await Promise.all([
    listAuditEvents(db, actor, input),
    countAuditEvents(db, input),
    listAuditFilterOptions(db),
  ]);

  const rows: AuditRow[] = page.rows.map((e) => ({
    id: String(e.id),
    createdAt: e.createdAt.toISOString(),
    actorLabel: e.actorLabel,
    isSystem: e.actorId === null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    change: compactChange(e.before, e.after),
    requestId: e.requestId,
  }));

  const filters: DataTableFilter[] = [
    { id: "actor", label: "Actor", kind: "text", placeholder: "staff e-mail or “system”" },
    { id: "action", label: "Action", kind: "select", options: options.actions.map((a) => ({ value: a, label: a })) },
    { id: "targetType", label: "Target type", kind: "select", options: options.targetTypes.map((t) => ({ value: t, label: t })) },
    { id: "targetId", label: "Target id", kind: "text", placeholder: "exact id" },
  ];
  const filtered = Boolean(input.actor || input.action || input.targetType || input.targetId);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every staff change — console or API token — with who made it, when, and what changed. Phones are masked. The log cannot be edited."
      />
      <AuditTable
        rows={rows}
        filters={filters}
        sort={{ columns: ["createdAt"], by: "createdAt", dir: input.dir }}
        cursors={cursorsOf(page)}
        summary={formatListCount(count, "event", "events")}
        filtered={filtered}
      />
    </>
  );
}
