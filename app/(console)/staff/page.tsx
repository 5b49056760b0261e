import type { Metadata } from "next";
import { requireStaff } from "@/app/_server/require-staff";
import { ComingLater } from "@/components/shell/coming-later";

export const metadata: Metadata = { title: "Staff & API tokens" };

export default async function Page() {
  await requireStaff("manage_staff");
  return (
    <ComingLater
      title="Staff & API tokens"
      description="Staff accounts, their roles and API tokens for automation."
      what="Managing staff accounts and API tokens will appear here."
    />
  );
}
