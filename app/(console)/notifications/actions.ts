"use server";

import { staffAction } from "@/app/_server/action";
import { resolveNotificationSpec, retryNotificationSpec } from "./notification-actions";

export const retryNotificationAction = staffAction(retryNotificationSpec);
export const resolveNotificationAction = staffAction(resolveNotificationSpec);
