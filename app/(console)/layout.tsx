import Link from "next/link";
import { DoorOpen, LogOut } from "lucide-react";
import { requireStaff } from "@/app/_server/require-staff";
import { SidebarNav } from "@/app/(console)/_components/sidebar-nav";
import { navItems } from "@/app/(console)/_components/nav-items";
import { RoleBadge } from "@/components/role-badge";
import { can } from "@/lib/auth/roles";
import { signOutAction } from "../(auth)/actions";

// Every page reads the session and the staff row per request (roles apply at once).
export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireStaff();
  const items = navItems.filter((item) => !item.permission || can(actor.role, item.permission));
  return (
    <div className="flex min-h-screen">
      <aside className="w-64 shrink-0 border-r border-slate-200 bg-white">
        <div className="sticky top-0 flex h-screen flex-col">
          <Link href="/" className="flex items-center gap-2.5 px-5 py-5">
            <span className="flex size-8 items-center justify-center rounded-lg bg-brand-600 text-white">
              <DoorOpen className="size-4.5" aria-hidden />
            </span>
            <span className="text-base font-semibold tracking-tight">Gatehouse</span>
          </Link>
          <div className="flex-1 overflow-y-auto px-3">
            <SidebarNav items={items} />
          </div>
          <div className="border-t border-slate-200 p-4">
            <div className="flex items-center gap-3">
              <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-100 text-xs font-semibold uppercase text-slate-600">
                {actor.email.slice(0, 2)}
              </span>
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900" data-testid="staff-email" title={actor.email}>
                  {actor.email}
                </p>
                <RoleBadge role={actor.role} />
              </div>
              <form action={signOutAction}>
                <button
                  type="submit"
                  title="Sign out"
                  aria-label="Sign out"
                  className="rounded-md p-2 text-slate-400 transition-colors hover:bg-slate-100 hover:text-slate-700"
                >
                  <LogOut className="size-4" aria-hidden />
                </button>
              </form>
            </div>
          </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1">
        <div className="mx-auto max-w-7xl px-8 py-8">{children}</div>
      </main>
    </div>
  );
}
