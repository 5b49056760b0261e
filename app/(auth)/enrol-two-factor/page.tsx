import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireSession } from "@/app/_server/require-staff";
import { TwoFactorSetup } from "@/app/(console)/account/_components/two-factor-setup";
import { SignOutFooter, StepPage } from "../_components/step-page";

export const metadata: Metadata = { title: "Set up a second factor" };

/** The console requires a second factor and this member has none: they set one up first. */
export default async function EnrolTwoFactorPage() {
  const { actor, pending } = await requireSession();
  if (pending !== "two_factor_enrolment") redirect(pending ? "/change-password" : "/account");
  return (
    <StepPage
      wide
      title="Set up a second factor"
      subtitle={<>The console requires a code from your phone at each sign-in. Set it up for {actor.email} to go on.</>}
      footer={<SignOutFooter />}
    >
      <TwoFactorSetup enabledAt={null} recoveryCodesLeft={0} required afterSetup="/" />
    </StepPage>
  );
}
