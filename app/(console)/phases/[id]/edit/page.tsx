import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { listAllowedPhoneEntries } from "@/lib/phases/allowed-phone-entries";
import { PhaseForm } from "../../_components/phase-form";
import { phaseOrNotFound } from "../load-phase";

export const metadata: Metadata = { title: "Edit phase" };

export default async function EditPhasePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireStaff("manage_phases");
  const db = getDb();
  const phase = await phaseOrNotFound(db, (await params).id);
  // Any phase may become internal in the form: the list is loaded whatever its kind.
  const allowList = await listAllowedPhoneEntries(db, actor, phase.id);

  return (
    <>
      <Link href={`/phases/${phase.id}`} className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> {phase.name}
      </Link>
      <PageHeader
        title={`Edit ${phase.name}`}
        description={phase.status === "closed" ? "A closed phase cannot be edited." : `${phase.slug} · ${phase.status}. Every change is recorded in the audit log.`}
      />
      {phase.status === "closed" ? (
        <p className="rounded-lg border border-slate-200 bg-white px-4 py-6 text-sm text-slate-600" data-testid="phase-closed">
          This phase is closed; its settings are kept as they were. <Link href={`/phases/${phase.id}`} className="text-brand-700 hover:underline">Back to the phase</Link>
        </p>
      ) : (
        <PhaseForm
          phase={{ ...phase, startsAt: phase.startsAt?.toISOString() ?? null, endsAt: phase.endsAt?.toISOString() ?? null }}
          allowList={{ ...allowList, masked: !can(actor.role, "view_full_phone") }}
        />
      )}
    </>
  );
}
