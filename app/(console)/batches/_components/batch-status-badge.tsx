import type { BatchStatus } from "@/db/schema";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const tone: Record<BatchStatus, BadgeTone> = { queued: "neutral", running: "blue", completed: "green", failed: "red", cancelled: "amber" };

export function BatchStatusBadge({ status }: { status: BatchStatus }) {
  return (
    <Badge tone={tone[status]} className="capitalize">
      {status === "running" ? <span className="mr-1.5 size-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden /> : null}
      {status}
    </Badge>
  );
}

/** "admit_next" → "Admit next", as staff read a batch kind. */
export const batchKindLabels = {
  admit_next: "Admit next",
  targeted: "Targeted",
  member_quota: "Member quota",
  reactivate: "Reactivate",
} as const;
