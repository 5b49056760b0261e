import { z } from "zod";
import { platform } from "@/db/schema";
import { country, wholeNumber } from "@/lib/validation/fields";

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1).max(250)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** Filters a batch may carry; each kind reads the ones that make sense for it. */
export const batchFilters = z
  .object({
    /** admit_next, reactivate: phone country. */
    country: oneOrMany(country("use two-letter country codes, e.g. FR, DE")).optional(),
    /** admit_next, reactivate. */
    platform: oneOrMany(z.enum(platform.enumValues)).optional(),
    /** admit_next: registered before this instant. */
    registeredBefore: z.coerce.date().optional(),
    /** member_quota: members admitted in this phase. */
    phaseId: z.uuid().optional(),
    /** member_quota: members admitted before this instant. */
    admittedBefore: z.coerce.date().optional(),
    /** reactivate: invitations that expired before this instant. */
    expiredBefore: z.coerce.date().optional(),
  })
  .strict();
export type BatchFilters = z.output<typeof batchFilters>;

export const MAX_BATCH_SIZE = 1_000_000;
export const MAX_TARGETS = 100_000;

const common = { filters: batchFilters.default({}), dryRun: z.boolean().default(false) };

/**
 * `POST /api/admin/v1/batches` body (SPEC §6) and the console's new-batch form: one shape per
 * kind, so each kind's required field is there by type.
 */
export const createBatchInput = z.discriminatedUnion("kind", [
  /** The next `size` admissible people in queue order. */
  z.object({ kind: z.literal("admit_next"), size: wholeNumber(1, MAX_BATCH_SIZE, "is required for admit_next"), ...common }),
  /** Phone numbers (any format, international) or registration ids, e.g. from a CSV column. */
  z.object({
    kind: z.literal("targeted"),
    phones: z
      .array(z.string().trim().min(1).max(64), { error: (issue) => (issue.input === undefined ? "is required for targeted" : undefined) })
      .min(1)
      .max(MAX_TARGETS),
    ...common,
  }),
  /** Invites added to every matching member. */
  z.object({ kind: z.literal("member_quota"), amount: wholeNumber(1, 1000, "is required for member_quota"), ...common }),
  /** Expired registrations invited again: at most `size` (default all matching). */
  z.object({ kind: z.literal("reactivate"), size: wholeNumber(1, MAX_BATCH_SIZE).optional(), ...common }),
]);
export type CreateBatchInput = z.input<typeof createBatchInput>;
export type ParsedBatchInput = z.output<typeof createBatchInput>;

/** Splits pasted or uploaded CSV text into target entries (one per line or comma/semicolon cell). */
export function parseTargetsText(text: string): string[] {
  return text
    .split(/[\r\n,;\t]+/)
    .map((s) => s.trim().replace(/^"|"$/g, ""))
    .filter((s) => s.length > 0 && !/^(phone|id|registration_?id)$/i.test(s));
}
