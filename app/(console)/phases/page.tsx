import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { PhasesTable, type PhaseRow } from "@/app/(console)/phases/_components/phases-table";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { listPhases } from "@/lib/phases/list-phases";
import { getPhaseStats } from "@/lib/stats/phases";

export const metadata: Metadata = { title: "Phases" };

function eligibility(countries: string[] | null, platforms: string[] | null): string {
  const where = countries?.length ? countries.join(", ") : "all countries";
  const devices = platforms?.length ? platforms.join(" + ") : "all platforms";
  return `${where} · ${devices}`;
}

export default async function PhasesPage() {
  const actor = await requireStaff("view");
  const db = getDb();
  const phases = await listPhases(db);
  const stats = await getPhaseStats(db, phases.map((p) => p.id));
  const rows: PhaseRow[] = phases.map((p) => {
    const s = stats.get(p.id);
    return {
      id: p.id,
      slug: p.slug,
      name: p.name,
      kind: p.kind,
      status: p.status,
      startsAt: p.startsAt?.toISOString() ?? null,
      // A closed phase ended when it closed, whatever was planned.
      endsAt: (p.closedAt ?? p.endsAt)?.toISOString() ?? null,
      capacity: p.capacity,
      dailyAdmissionCap: p.dailyAdmissionCap,
      memberInviteQuota: p.memberInviteQuota,
      invitationTtlHours: p.invitationTtlHours,
      eligibility: eligibility(p.countries, p.platforms),
      admitted: s?.admitted ?? 0,
      invitationsLive: (s?.invitations.pending ?? 0) + (s?.invitations.sent ?? 0),
      invitationsRedeemed: s?.invitations.redeemed ?? 0,
    };
  });
  const canManage = can(actor.role, "manage_phases");
  return (
    <>
      <PageHeader
        title="Phases"
        description="The beta opens in phases. At most one is active; a scheduled phase activates itself at its start time."
        actions={
          canManage ? (
            <Link href="/phases/new" className={buttonClasses("primary")}>
              <Plus className="size-4" aria-hidden /> New phase
            </Link>
          ) : null
        }
      />
      <PhasesTable rows={rows} canManage={canManage} />
    </>
  );
}
