import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { PhaseForm } from "@/app/(console)/phases/_components/phase-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New phase" };

export default async function NewPhasePage() {
  await requireStaff("manage_phases");
  return (
    <>
      <PageHeader title="New phase" description="A phase starts as a draft. Schedule it or activate it from the Phases list." />
      <PhaseForm />
    </>
  );
}
