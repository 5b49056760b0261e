"use server";

import { staffAction } from "@/app/_server/action";
import { activatePhaseSpec, closePhaseSpec, createPhaseSpec, schedulePhaseSpec, updatePhaseSpec } from "./action-specs";

export const createPhaseAction = staffAction(createPhaseSpec);
export const updatePhaseAction = staffAction(updatePhaseSpec);
export const schedulePhaseAction = staffAction(schedulePhaseSpec);
export const activatePhaseAction = staffAction(activatePhaseSpec);
export const closePhaseAction = staffAction(closePhaseSpec);
