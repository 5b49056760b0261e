"use server";

import { staffAction } from "@/app/_server/action";
import { grantQuotaSpec } from "./action-specs";

export const grantQuotaAction = staffAction(grantQuotaSpec);
