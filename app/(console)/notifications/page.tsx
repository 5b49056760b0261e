import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Notifications & queues" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Notifications & queues"
      description="Outgoing SMS and e-mail, queue depth and delivery failures."
      what="Queue counts, throughput and failed notifications will appear here."
    />
  );
}
