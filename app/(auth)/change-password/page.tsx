import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireSession } from "@/app/_server/require-staff";
import { ChangePasswordForm } from "@/app/(console)/account/_components/change-password-form";
import { SignOutFooter, StepPage } from "../_components/step-page";

export const metadata: Metadata = { title: "Choose a new password" };

/** An admin reset this member's password: they choose their own before anything else. */
export default async function ChangePasswordPage() {
  const { actor, pending } = await requireSession();
  if (pending !== "password_change") redirect(pending ? "/enrol-two-factor" : "/account");
  return (
    <StepPage
      title="Choose a new password"
      subtitle={<>An admin reset the password of {actor.email}. Choose your own to go on.</>}
      footer={<SignOutFooter />}
    >
      <ChangePasswordForm currentLabel="Password you were given" />
    </StepPage>
  );
}
