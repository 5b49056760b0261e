"use server";

import { staffAction } from "@/app/_server/action";
import { grantQuotaSpec } from "./member-actions";

export const grantQuotaAction = staffAction(grantQuotaSpec);
