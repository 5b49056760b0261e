import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import type { DataTableFilter } from "@/components/data-table/features";
import { formatCount } from "@/components/format";
import { MembersTable, type MemberRow } from "@/app/(console)/members/_components/members-table";
import { PageHeader } from "@/components/ui/page-header";
import { countMembers, listMembers, memberListInput } from "@/lib/members/list-members";
import { listPhases } from "@/lib/phases/list-phases";

export const metadata: Metadata = { title: "Members" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MembersPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireStaff("view");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = memberListInput.safeParse({ ...raw, limit: 50 });
  const input = parsed.success ? parsed.data : memberListInput.parse({});
  const db = getDb();
  const [page, count, phases] = await Promise.all([listMembers(db, actor, input), countMembers(db, input), listPhases(db)]);

  const rows: MemberRow[] = page.rows.map((m) => ({
    id: m.id,
    phone: m.phone,
    phaseName: m.phaseName,
    admittedAt: m.admittedAt.toISOString(),
    inviteQuota: m.inviteQuota,
  }));
  const filters: DataTableFilter[] = [{ id: "phase", label: "Phase", kind: "select", options: phases.map((p) => ({ value: p.id, label: p.name })) }];
  const noun = count.value === 1 ? "member" : "members";

  return (
    <>
      <PageHeader title="Members" description="People admitted to the beta, with the invites each may still send. Open one for the quota ledger and grants." />
      <MembersTable
        rows={rows}
        filters={filters}
        sort={{ columns: ["admittedAt"], by: "admittedAt", dir: input.dir }}
        cursors={{ next: page.nextCursor, previous: page.previousCursor }}
        summary={count.kind === "estimate" ? `≈ ${formatCount(count.value)} ${noun}` : `${formatCount(count.value)} ${noun}`}
        filtered={Boolean(input.phase)}
      />
    </>
  );
}
