"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Bell, CalendarRange, KeyRound, Layers, LayoutDashboard, ListOrdered, ScrollText, ShieldCheck, UserRound, Users, Webhook } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { NavItem } from "./nav-items";

const icons = {
  overview: LayoutDashboard,
  waitlist: ListOrdered,
  batches: Layers,
  phases: CalendarRange,
  members: Users,
  notifications: Bell,
  policy: ShieldCheck,
  audit: ScrollText,
  staff: KeyRound,
  webhooks: Webhook,
  account: UserRound,
} as const;

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function SidebarNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {items.map((item) => {
        const Icon = icons[item.icon];
        const active = isActive(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors",
              active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            <Icon className={cn("size-4 shrink-0", active ? "text-brand-600" : "text-slate-400 group-hover:text-slate-500")} aria-hidden />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
