import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Batches" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Batches"
      description="Invite batches granted by growth staff, with live progress."
      what="Creating, previewing and following batches will appear here."
    />
  );
}
