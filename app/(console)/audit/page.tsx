import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Audit log" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Audit log"
      description="Every staff change, who made it and when."
      what="The searchable audit log will appear here."
    />
  );
}
