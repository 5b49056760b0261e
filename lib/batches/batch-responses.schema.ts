// What the admin API answers about batches (SPEC §3.6, §6); the OpenAPI document is generated
// from these, and the handlers shape their answers through them.
import { z } from "zod";
import { batchKind, batchStatus, phaseKind } from "@/db/schema";

const isoTime = z.iso.datetime();
const count = z.number().int().min(0);

export const batchSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(batchKind.enumValues),
    status: z.enum(batchStatus.enumValues),
    params: z.record(z.string(), z.unknown()).meta({ description: "The request's size, filters, amount (a targeted batch's resolved list is left out)" }),
    phaseId: z.uuid().nullable(),
    requested: count,
    selected: count,
    invited: count,
    notified: count,
    failed: count,
    truncatedReason: z.string().nullable(),
    error: z.string().nullable(),
    createdBy: z.uuid(),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    finishedAt: isoTime.nullable(),
    cancelledAt: isoTime.nullable(),
  })
  .meta({ id: "Batch" });

export const batchPreviewSchema = z
  .object({
    kind: z.enum(batchKind.enumValues),
    phase: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(phaseKind.enumValues) }).nullable(),
    requested: count,
    selected: count,
    units: count.nullable(),
    firstPosition: z.number().int().min(1).nullable(),
    lastPosition: z.number().int().min(1).nullable(),
    excluded: z.object({
      capacity: count,
      daily_cap: count,
      hold: count,
      ineligible: count,
      not_found: count,
      not_waiting: count,
      duplicate: count,
      invalid: count,
    }),
    truncatedReason: z.string().nullable(),
  })
  .meta({ id: "BatchPreview" });

export const batchListSchema = z
  .object({ items: z.array(batchSchema.extend({ createdByEmail: z.string().nullable() })), nextCursor: z.uuid().nullable() })
  .meta({ id: "BatchList" });

export const batchPreviewAnswerSchema = z.object({ preview: batchPreviewSchema }).meta({ id: "BatchDryRun" });
export const batchCreatedSchema = z.object({ batch: batchSchema, preview: batchPreviewSchema.nullable() }).meta({ id: "BatchCreated" });

export const batchDetailSchema = batchSchema
  .extend({
    failures: z.array(z.object({ registrationId: z.uuid().nullable(), input: z.string().nullable(), reason: z.string(), createdAt: isoTime })),
  })
  .meta({ id: "BatchDetail" });
