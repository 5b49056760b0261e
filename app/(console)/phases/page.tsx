import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Phases" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Phases"
      description="The beta's phases: capacity, quotas, eligibility and schedule."
      what="Creating, scheduling and activating phases will appear here."
    />
  );
}
