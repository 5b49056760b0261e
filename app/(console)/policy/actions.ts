"use server";

import { staffAction } from "@/app/_server/action";
import { updatePolicySpec } from "./policy-actions";

export const updatePolicyAction = staffAction(updatePolicySpec);
