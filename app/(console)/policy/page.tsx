import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Policy" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Policy"
      description="The fresh-registration policy and every decision it made."
      what="Policy settings and the decisions log will appear here."
    />
  );
}
