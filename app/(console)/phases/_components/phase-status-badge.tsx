import type { PhaseStatus } from "@/db/schema";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const tone: Record<PhaseStatus, BadgeTone> = { draft: "neutral", scheduled: "blue", active: "green", closed: "amber" };

export function PhaseStatusBadge({ status }: { status: PhaseStatus }) {
  return (
    <Badge tone={tone[status]} className="capitalize">
      {status}
    </Badge>
  );
}
