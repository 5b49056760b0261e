"use server";

import { staffAction } from "@/app/_server/action";
import {
  createApiTokenSpec,
  createStaffSpec,
  resetStaffPasswordSpec,
  resetStaffTwoFactorSpec,
  revokeApiTokenSpec,
  setRequireTwoFactorSpec,
  setStaffDisabledSpec,
  setStaffRoleSpec,
} from "./action-specs";

export const createStaffAction = staffAction(createStaffSpec);
export const setStaffRoleAction = staffAction(setStaffRoleSpec);
export const setStaffDisabledAction = staffAction(setStaffDisabledSpec);
export const createApiTokenAction = staffAction(createApiTokenSpec);
export const revokeApiTokenAction = staffAction(revokeApiTokenSpec);
export const resetStaffPasswordAction = staffAction(resetStaffPasswordSpec);
export const resetStaffTwoFactorAction = staffAction(resetStaffTwoFactorSpec);
export const setRequireTwoFactorAction = staffAction(setRequireTwoFactorSpec);
