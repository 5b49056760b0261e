"use server";

import { headers } from "next/headers";
import { signOut } from "@/app/_server/auth";
import { staffAction } from "@/app/_server/action";
import type { ActionResult } from "@/lib/action-result";
import { clientAddressOf } from "@/lib/http/request";
import {
  changeOwnPasswordSpec,
  confirmTwoFactorSpec,
  createApiTokenSpec,
  disableTwoFactorSpec,
  regenerateRecoveryCodesSpec,
  revokeApiTokenSpec,
  startTwoFactorSpec,
} from "./action-specs";

/**
 * A changed password ends every session of the member, this one included: on success the member
 * is signed out and signs in again with the new password.
 */
export async function changeOwnPasswordAction(previous: unknown, form: FormData): Promise<ActionResult<{ changed: boolean }>> {
  const result = await staffAction(changeOwnPasswordSpec(clientAddressOf(await headers())))(previous, form);
  if (result.ok) await signOut({ redirectTo: "/sign-in?changed=1" });
  return result;
}

export const startTwoFactorAction = staffAction(startTwoFactorSpec);
export const confirmTwoFactorAction = staffAction(confirmTwoFactorSpec);
export const regenerateRecoveryCodesAction = staffAction(regenerateRecoveryCodesSpec);
export const disableTwoFactorAction = staffAction(disableTwoFactorSpec);
export const createApiTokenAction = staffAction(createApiTokenSpec);
export const revokeApiTokenAction = staffAction(revokeApiTokenSpec);
