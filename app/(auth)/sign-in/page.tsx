import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DoorOpen } from "lucide-react";
import { currentActor } from "@/app/_server/require-staff";
import { SignInForm } from "../_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentActor()) redirect("/");
  const { callbackUrl } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <div className="flex size-11 items-center justify-center rounded-xl bg-brand-600 text-white shadow-sm">
            <DoorOpen className="size-6" aria-hidden />
          </div>
          <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900">Sign in to Gatehouse</h1>
          <p className="mt-1 text-sm text-slate-500">Beta operations console — staff only</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm callbackUrl={typeof callbackUrl === "string" ? callbackUrl : undefined} />
        </div>
        <p className="mt-6 text-center text-xs text-slate-400">Accounts are created by an admin. Ask one if you need access.</p>
      </div>
    </main>
  );
}
