// The Batches pages' server actions, defined as plain specs (tests run them as every role);
// actions.ts exposes them with "use server". The new-batch form sends strings: the form schema
// reads them through the shared field rules (lib/validation/fields.ts), checks what each kind
// needs (inline errors), and builds the lib's createBatchInput, which validates again.
import { z } from "zod";
import { zfd } from "zod-form-data";
import { platform } from "@/db/schema";
import { defineStaffAction } from "@/app/_server/action-spec";
import { MAX_BATCH_SIZE, MAX_TARGETS, parseTargetsText, type CreateBatchInput } from "@/lib/batches/batches.schema";
import { IDEMPOTENCY_KEY, createBatch } from "@/lib/batches/create-batch";
import { cancelBatch } from "@/lib/batches/cancel-batch";
import { countryListText, optionalUtcDateTime, uuid, wholeNumber } from "@/lib/validation/fields";
import { createBatchAndRun } from "@/jobs/create-batch-and-run";

/** Who an admit_next or reactivate batch picks from (empty fields: everyone). */
const registrationFilters = {
  country: countryListText.optional(),
  platform: zfd.text(z.enum(platform.enumValues, { error: "android or ios" }).optional()),
};

/** targeted: pasted text or the CSV read in the browser; one phone or id per line/cell. */
const targetsText = z
  .string({ error: "paste phone numbers or registration ids, or upload a CSV" })
  .max(10_000_000)
  .transform(parseTargetsText)
  .pipe(
    z
      .array(z.string().max(64, { error: (issue) => `“${String(issue.input).slice(0, 20)}…” is not a phone number or an id` }))
      .min(1, "paste phone numbers or registration ids, or upload a CSV")
      .max(MAX_TARGETS, `at most ${MAX_TARGETS.toLocaleString("en-US")} entries`),
  );

/** The new-batch form: one shape per kind, so each kind's own fields are required by type. */
export const batchForm = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("admit_next"),
      size: zfd.numeric(wholeNumber(1, MAX_BATCH_SIZE, "how many people to invite")),
      ...registrationFilters,
      registeredBefore: optionalUtcDateTime,
    }),
    z.object({ kind: z.literal("targeted"), targets: targetsText }),
    z.object({
      kind: z.literal("member_quota"),
      amount: zfd.numeric(wholeNumber(1, 1000, "how many invites to add")),
      phaseId: zfd.text(uuid("choose a phase").optional()),
      admittedBefore: optionalUtcDateTime,
    }),
    z.object({
      kind: z.literal("reactivate"),
      /** At most how many (empty = all matching). */
      size: zfd.numeric(wholeNumber(1, MAX_BATCH_SIZE).optional()),
      ...registrationFilters,
      expiredBefore: optionalUtcDateTime,
    }),
  ],
  { error: "choose a kind of batch" },
);
export type BatchForm = z.output<typeof batchForm>;

/** The lib's create body for the form: only the fields and filters the chosen kind reads. */
export function batchInputOf(form: BatchForm): CreateBatchInput {
  switch (form.kind) {
    case "admit_next":
      return { kind: form.kind, size: form.size, filters: { country: form.country ?? undefined, platform: form.platform, registeredBefore: form.registeredBefore } };
    case "targeted":
      return { kind: form.kind, phones: form.targets };
    case "member_quota":
      return { kind: form.kind, amount: form.amount, filters: { phaseId: form.phaseId, admittedBefore: form.admittedBefore } };
    case "reactivate":
      return { kind: form.kind, size: form.size, filters: { country: form.country ?? undefined, platform: form.platform, expiredBefore: form.expiredBefore } };
  }
}

/** Dry run: what the batch would select now, and what it would leave out and why. */
export const previewBatchSpec = defineStaffAction({
  permission: "manage_batches",
  schema: batchForm,
  run: async (form, actor, db) => {
    const result = await createBatch(db, actor, { ...batchInputOf(form), dryRun: true }, null);
    if (!result.dryRun) throw new Error("a dry run created a batch");
    return result.preview;
  },
});

/**
 * Confirm: creates the batch. The form instance's idempotency key makes a double submit (or a
 * retry after a lost response) return the same batch instead of a second one.
 */
export const createBatchSpec = defineStaffAction({
  permission: "manage_batches",
  schema: batchForm.and(z.object({ idempotencyKey: z.string().regex(IDEMPOTENCY_KEY, "reload the page and try again") })),
  run: async (form, actor, db) => {
    const result = await createBatchAndRun(db, actor, batchInputOf(form), form.idempotencyKey);
    if (result.dryRun) throw new Error("a create ran as a dry run");
    return { id: result.batch.id, created: result.created };
  },
});

export const cancelBatchSpec = defineStaffAction({
  permission: "manage_batches",
  schema: z.object({ batchId: uuid("unknown batch") }),
  run: async (input, actor, db) => {
    const batch = await cancelBatch(db, actor, input.batchId);
    return { id: batch.id, status: batch.status };
  },
});
