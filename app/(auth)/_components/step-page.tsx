import { DoorOpen } from "lucide-react";
import { signOutAction } from "../actions";

/** For the steps an account owes: the one other thing it may do is leave. */
export function SignOutFooter() {
  return (
    <form action={signOutAction}>
      <button type="submit" className="underline hover:text-slate-600">
        Sign out
      </button>
    </form>
  );
}

/** The frame of the pages outside the console: sign-in and the steps an account owes first. */
export function StepPage({ title, subtitle, wide, children, footer }: { title: string; subtitle: React.ReactNode; wide?: boolean; children: React.ReactNode; footer?: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 px-4 py-10">
      <div className={wide ? "w-full max-w-xl" : "w-full max-w-sm"}>
        <div className="mb-8 flex flex-col items-center text-center">
          <div className="flex size-11 items-center justify-center rounded-xl bg-brand-600 text-white shadow-sm">
            <DoorOpen className="size-6" aria-hidden />
          </div>
          <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
          <p className="mt-1 text-sm text-slate-500">{subtitle}</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
        {footer ? <div className="mt-6 text-center text-xs text-slate-400">{footer}</div> : null}
      </div>
    </main>
  );
}
