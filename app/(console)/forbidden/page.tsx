import type { Metadata } from "next";
import Link from "next/link";
import { Lock } from "lucide-react";
import { requireStaff } from "@/app/_server/require-staff";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not allowed" };

export default async function ForbiddenPage() {
  const actor = await requireStaff();
  return (
    <div className="pt-10">
      <EmptyState icon={Lock} title="Your role cannot open that page">
        <p>
          You are signed in as <span className="font-medium capitalize">{actor.role}</span>. Ask an admin if you need more access.
        </p>
        <Link href="/" className={buttonClasses("secondary", "sm", "mt-4")}>
          Back to the overview
        </Link>
      </EmptyState>
    </div>
  );
}
