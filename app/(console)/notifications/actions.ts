"use server";

import { staffAction } from "@/app/_server/action";
import { resolveNotificationSpec, retryNotificationSpec } from "./action-specs";

export const retryNotificationAction = staffAction(retryNotificationSpec);
export const resolveNotificationAction = staffAction(resolveNotificationSpec);
