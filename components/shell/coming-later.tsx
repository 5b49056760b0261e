import { Construction } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** For console pages whose feature lands in a later release: says so plainly, shows no data. */
export function ComingLater({ title, description, what }: { title: string; description: string; what: string }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState icon={Construction} title="Coming in a later release">
        {what}
      </EmptyState>
    </>
  );
}
