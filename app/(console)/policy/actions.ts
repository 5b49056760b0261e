"use server";

import { staffAction } from "@/app/_server/action";
import { updatePolicySpec } from "./action-specs";

export const updatePolicyAction = staffAction(updatePolicySpec);
