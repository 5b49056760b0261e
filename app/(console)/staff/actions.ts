"use server";

import { staffAction } from "@/app/_server/action";
import { createApiTokenSpec, createStaffSpec, revokeApiTokenSpec, setStaffDisabledSpec, setStaffRoleSpec } from "./action-specs";

export const createStaffAction = staffAction(createStaffSpec);
export const setStaffRoleAction = staffAction(setStaffRoleSpec);
export const setStaffDisabledAction = staffAction(setStaffDisabledSpec);
export const createApiTokenAction = staffAction(createApiTokenSpec);
export const revokeApiTokenAction = staffAction(revokeApiTokenSpec);
