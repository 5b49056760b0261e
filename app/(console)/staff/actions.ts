"use server";

import { staffAction } from "@/app/_server/action";
import {
  createStaffSpec,
  resetStaffPasswordSpec,
  resetStaffTwoFactorSpec,
  setRequireTwoFactorSpec,
  setStaffDisabledSpec,
  setStaffRoleSpec,
} from "./action-specs";

export const createStaffAction = staffAction(createStaffSpec);
export const setStaffRoleAction = staffAction(setStaffRoleSpec);
export const setStaffDisabledAction = staffAction(setStaffDisabledSpec);
export const resetStaffPasswordAction = staffAction(resetStaffPasswordSpec);
export const resetStaffTwoFactorAction = staffAction(resetStaffTwoFactorSpec);
export const setRequireTwoFactorAction = staffAction(setRequireTwoFactorSpec);
