import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Waitlist" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Waitlist"
      description="Everyone waiting for a pass, in queue order."
      what="The searchable, sortable waitlist with exact positions will appear here."
    />
  );
}
