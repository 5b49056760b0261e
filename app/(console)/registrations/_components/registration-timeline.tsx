import { BadgeCheck, Bell, ShieldCheck, Ticket, UserCog, UserPlus } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { cn } from "@/components/ui/cn";
import { StatusBadge } from "../../../../components/status-badge";

export interface TimelineEntry {
  at: string;
  kind: "registration" | "decision" | "invitation" | "notification" | "staff" | "member";
  title: string;
  detail: string | null;
  tone: "neutral" | "good" | "warn" | "bad" | "info";
  status?: string;
}

const icons = { registration: UserPlus, decision: ShieldCheck, invitation: Ticket, notification: Bell, staff: UserCog, member: BadgeCheck };
const toneClasses = {
  neutral: "bg-slate-100 text-slate-600",
  good: "bg-emerald-50 text-emerald-700",
  warn: "bg-amber-50 text-amber-700",
  bad: "bg-red-50 text-red-700",
  info: "bg-sky-50 text-sky-700",
};

export function RegistrationTimeline({ items }: { items: TimelineEntry[] }) {
  if (items.length === 0) return <p className="text-sm text-slate-500">Nothing has happened yet.</p>;
  return (
    <ol className="relative space-y-4" data-testid="timeline">
      {items.map((item, i) => {
        const Icon = icons[item.kind];
        return (
          <li key={i} className="flex gap-3">
            <span className={cn("flex size-8 shrink-0 items-center justify-center rounded-full", toneClasses[item.tone])}>
              <Icon className="size-4" aria-hidden />
            </span>
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                {item.title}
                {item.status ? <StatusBadge status={item.status} /> : null}
              </p>
              {item.detail ? <p className="text-xs text-slate-500">{item.detail}</p> : null}
            </div>
            <span className="shrink-0 text-xs text-slate-500">
              <RelativeTime iso={item.at} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}
