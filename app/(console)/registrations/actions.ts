"use server";

import { staffAction } from "@/app/_server/action";
import {
  blockRegistrationSpec,
  boostRegistrationSpec,
  clearRegistrationSpec,
  holdRegistrationSpec,
  reactivateRegistrationSpec,
  releaseSmsBudgetSpec,
  removeRegistrationSpec,
  resendInvitationSpec,
  revokeInvitationSpec,
} from "./action-specs";

export const removeRegistrationAction = staffAction(removeRegistrationSpec);
export const blockRegistrationAction = staffAction(blockRegistrationSpec);
export const holdRegistrationAction = staffAction(holdRegistrationSpec);
export const clearRegistrationAction = staffAction(clearRegistrationSpec);
export const boostRegistrationAction = staffAction(boostRegistrationSpec);
export const resendInvitationAction = staffAction(resendInvitationSpec);
export const revokeInvitationAction = staffAction(revokeInvitationSpec);
export const reactivateRegistrationAction = staffAction(reactivateRegistrationSpec);
export const releaseSmsBudgetAction = staffAction(releaseSmsBudgetSpec);
