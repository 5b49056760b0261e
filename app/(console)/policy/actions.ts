"use server";

import { staffAction } from "@/app/_server/action";
import { releasePrefixHoldSpec, updatePolicySpec } from "./action-specs";

export const updatePolicyAction = staffAction(updatePolicySpec);
export const releasePrefixHoldAction = staffAction(releasePrefixHoldSpec);
