import type { StaffRole } from "@/db/schema";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const toneByRole: Record<StaffRole, BadgeTone> = { admin: "brand", growth: "green", support: "blue", product: "amber" };

export function RoleBadge({ role }: { role: StaffRole }) {
  return (
    <Badge tone={toneByRole[role]} className="capitalize">
      <span data-testid="staff-role">{role}</span>
    </Badge>
  );
}
