import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { NewBatchForm } from "@/app/(console)/batches/_components/new-batch-form";
import { PageHeader } from "@/components/ui/page-header";
import { listPhases } from "@/lib/phases/list-phases";

export const metadata: Metadata = { title: "New batch" };

export default async function NewBatchPage() {
  await requireStaff("manage_batches");
  const phases = await listPhases(getDb());
  return (
    <>
      <PageHeader title="New batch" description="Choose what the batch does, preview it against the queue as it is now, then confirm. Workers run it in chunks; you follow its progress live." />
      {/* The key is made here, once per form instance (crypto.randomUUID needs a secure context in the browser). */}
      <NewBatchForm phases={phases.map((p) => ({ id: p.id, name: p.name }))} idempotencyKey={`console-${randomUUID()}`} />
    </>
  );
}
