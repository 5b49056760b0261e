import { z } from "zod";
import { batchKind, platform } from "@/db/schema";

const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166 alpha-2 code")
  .transform((c) => c.toUpperCase());
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1).max(250)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** Filters a batch may carry; each kind reads the ones that make sense for it. */
export const batchFilters = z
  .object({
    /** admit_next, reactivate: phone country. */
    country: oneOrMany(country).optional(),
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

/** `POST /api/admin/v1/batches` body (SPEC §6) and the console's new-batch form. */
export const createBatchInput = z
  .object({
    kind: z.enum(batchKind.enumValues),
    /** admit_next: how many; reactivate: at most how many (default all matching). */
    size: z.number().int().min(1).max(MAX_BATCH_SIZE).optional(),
    filters: batchFilters.default({}),
    /** targeted: phone numbers (any format, international) or registration ids, e.g. from a CSV column. */
    phones: z.array(z.string().trim().min(1).max(64)).min(1).max(MAX_TARGETS).optional(),
    /** member_quota: invites added to every matching member. */
    amount: z.number().int().min(1).max(1000).optional(),
    dryRun: z.boolean().default(false),
  })
  .superRefine((b, ctx) => {
    const need = (field: "size" | "phones" | "amount") => {
      if (b[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `is required for ${b.kind}` });
    };
    if (b.kind === "admit_next") need("size");
    if (b.kind === "targeted") need("phones");
    if (b.kind === "member_quota") need("amount");
  });
export type CreateBatchInput = z.input<typeof createBatchInput>;
export type ParsedBatchInput = z.output<typeof createBatchInput>;

/** Splits pasted or uploaded CSV text into target entries (one per line or comma/semicolon cell). */
export function parseTargetsText(text: string): string[] {
  return text
    .split(/[\r\n,;\t]+/)
    .map((s) => s.trim().replace(/^"|"$/g, ""))
    .filter((s) => s.length > 0 && !/^(phone|id|registration_?id)$/i.test(s));
}
