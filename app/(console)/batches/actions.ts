"use server";

import { staffAction } from "@/app/_server/action";
import { cancelBatchSpec, createBatchSpec, previewBatchSpec } from "./action-specs";

export const previewBatchAction = staffAction(previewBatchSpec);
export const createBatchAction = staffAction(createBatchSpec);
export const cancelBatchAction = staffAction(cancelBatchSpec);
