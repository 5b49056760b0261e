import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Members" };

export default async function Page() {
  await requireStaff("view");
  return (
    <ComingLater
      title="Members"
      description="Admitted members, their invite balances and the quota ledger."
      what="Member balances, the ledger and quota grants will appear here."
    />
  );
}
