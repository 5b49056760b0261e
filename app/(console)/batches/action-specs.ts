// The Batches pages' server actions, defined as plain specs (tests run them as every role);
// actions.ts exposes them with "use server". The new-batch form sends flat strings: the form
// schema coerces them, checks what each kind needs (inline errors), and builds the lib's
// createBatchInput (lib/batches/batches.schema.ts), which validates again.
import { z } from "zod";
import { batchKind, platform } from "@/db/schema";
import { defineStaffAction } from "@/app/_server/action-spec";
import { utcDateTime } from "@/app/(console)/phases/action-specs";
import { MAX_BATCH_SIZE, MAX_TARGETS, parseTargetsText, type CreateBatchInput } from "@/lib/batches/batches.schema";
import { IDEMPOTENCY_KEY, createBatch } from "@/lib/batches/create-batch";
import { cancelBatch } from "@/lib/batches/cancel-batch";
import { runBatch } from "@/jobs/definitions/admissions";
import { getProducer } from "@/jobs/producer";

const optionalCount = (max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? undefined : Number(v)),
    z.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(max, `at most ${max.toLocaleString("en-US")}`).optional(),
  );
const optionalDate = z.preprocess((v) => (v === "" ? undefined : v), utcDateTime.optional());

/** "fr, de ,BE" → ["FR","DE","BE"]; empty → undefined (every country). */
const countryList = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.split(/[\s,]+/).filter(Boolean) : undefined),
  z.array(z.string().regex(/^[A-Za-z]{2}$/, "use two-letter country codes, e.g. FR, DE").transform((c) => c.toUpperCase())).max(250).optional(),
);

export const batchForm = z
  .object({
    kind: z.enum(batchKind.enumValues, { error: "choose a kind of batch" }),
    /** admit_next: how many; reactivate: at most how many (empty = all matching). */
    size: optionalCount(MAX_BATCH_SIZE),
    /** member_quota: invites added to each member. */
    amount: optionalCount(1000),
    /** targeted: pasted text or the CSV read in the browser; one phone or id per line/cell. */
    targets: z.string().max(10_000_000).optional(),
    country: countryList,
    platform: z.enum(platform.enumValues, { error: "android or ios" }).optional(),
    registeredBefore: optionalDate,
    phaseId: z.uuid("choose a phase").optional(),
    admittedBefore: optionalDate,
    expiredBefore: optionalDate,
  })
  .superRefine((form, ctx) => {
    if (form.kind === "admit_next" && form.size === undefined) ctx.addIssue({ code: "custom", path: ["size"], message: "how many people to invite" });
    if (form.kind === "member_quota" && form.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: "how many invites to add" });
    if (form.kind === "targeted") {
      const entries = parseTargetsText(form.targets ?? "");
      const tooLong = entries.find((e) => e.length > 64);
      if (entries.length === 0) ctx.addIssue({ code: "custom", path: ["targets"], message: "paste phone numbers or registration ids, or upload a CSV" });
      else if (entries.length > MAX_TARGETS) ctx.addIssue({ code: "custom", path: ["targets"], message: `at most ${MAX_TARGETS.toLocaleString("en-US")} entries` });
      else if (tooLong) ctx.addIssue({ code: "custom", path: ["targets"], message: `“${tooLong.slice(0, 20)}…” is not a phone number or an id` });
    }
  });
export type BatchForm = z.output<typeof batchForm>;

/** The lib's create body for the form: only the fields and filters the chosen kind reads. */
export function batchInputOf(form: BatchForm): CreateBatchInput {
  const registrationFilters = { country: form.country, platform: form.platform };
  switch (form.kind) {
    case "admit_next":
      return { kind: form.kind, size: form.size, filters: { ...registrationFilters, registeredBefore: form.registeredBefore } };
    case "targeted":
      return { kind: form.kind, phones: parseTargetsText(form.targets ?? "") };
    case "member_quota":
      return { kind: form.kind, amount: form.amount, filters: { phaseId: form.phaseId, admittedBefore: form.admittedBefore } };
    case "reactivate":
      return { kind: form.kind, size: form.size, filters: { ...registrationFilters, expiredBefore: form.expiredBefore } };
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
    const result = await createBatch(db, actor, batchInputOf(form), form.idempotencyKey);
    if (result.dryRun) throw new Error("a create ran as a dry run");
    if (result.created) {
      // Best effort, as in the admin API: when Redis is down the dispatcher picks the queued batch up later.
      await getProducer()
        .enqueue(runBatch, { batchId: result.batch.id }, { jobId: result.batch.id })
        .catch(() => {});
    }
    return { id: result.batch.id, created: result.created };
  },
});

export const cancelBatchSpec = defineStaffAction({
  permission: "manage_batches",
  schema: z.object({ batchId: z.uuid("unknown batch") }),
  run: async (input, actor, db) => {
    const batch = await cancelBatch(db, actor, input.batchId);
    return { id: batch.id, status: batch.status };
  },
});
