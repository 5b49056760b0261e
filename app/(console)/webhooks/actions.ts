"use server";

import { staffAction } from "@/app/_server/action";
import { createWebhookEndpointSpec, deleteWebhookEndpointSpec, sendWebhookAgainSpec, setWebhookEndpointEnabledSpec } from "./action-specs";

export const createWebhookEndpointAction = staffAction(createWebhookEndpointSpec);
export const setWebhookEndpointEnabledAction = staffAction(setWebhookEndpointEnabledSpec);
export const deleteWebhookEndpointAction = staffAction(deleteWebhookEndpointSpec);
export const sendWebhookAgainAction = staffAction(sendWebhookAgainSpec);
