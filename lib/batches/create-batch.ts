import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batchFailures, batches, type Batch } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { getActivePhase } from "@/lib/phases/get-phase";
import { parseInput } from "@/lib/phases/validate";
import { createBatchInput, type CreateBatchInput, type ParsedBatchInput } from "./batches.schema";
import { type BatchPreview, previewBatch, requireActivePhase } from "./preview";
import { resolveTargets } from "./targets";

/** JSON with sorted keys, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The stored parameters of a batch (its request without the dry-run switch). */
function batchParams(input: ParsedBatchInput) {
  const { dryRun: _dryRun, ...params } = input;
  return params;
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

export type CreateBatchResult =
  | { dryRun: true; preview: BatchPreview }
  | { dryRun: false; created: boolean; batch: Batch; preview: BatchPreview | null };

/**
 * Creates a batch (or, with `dryRun`, only previews it). Every create carries an idempotency
 * key: the same key with the same body returns the batch already made (created = false); the
 * same key with another body is refused. A unique index on (creator, key) settles races: of
 * many concurrent requests exactly one inserts, the others read its row.
 * The caller enqueues the batch's run after commit (`created` = true).
 */
export async function createBatch(db: Database, actor: Actor, body: CreateBatchInput, idempotencyKey: string | null): Promise<CreateBatchResult> {
  assertCan(actor, "manage_batches");
  const input = parseInput(createBatchInput, body);
  const phase = input.kind === "member_quota" ? null : requireActivePhase(await getActivePhase(db));
  if (input.dryRun) return { dryRun: true, preview: await previewBatch(db, input, phase) };

  if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new AppError("validation", "An Idempotency-Key (8–200 characters: letters, digits, . _ : -) is required.", {
      fieldErrors: [{ path: "Idempotency-Key", message: "required, 8–200 characters" }],
    });
  }
  const params = batchParams(input);
  const requestHash = sha256Hex(canonicalJson(params));
  const existing = await findByKey(db, actor.staffId, idempotencyKey);
  if (existing) return replay(existing, requestHash);

  // The counts staff confirmed came from the dry run; recomputing them is only needed where
  // `requested` depends on the data (member_quota, reactivate without a size).
  const needsPreview = input.kind === "member_quota" || (input.kind === "reactivate" && input.size === undefined);
  const preview = needsPreview ? await previewBatch(db, input, phase) : null;
  const targets = input.kind === "targeted" ? resolveTargets(input.phones) : null;
  const requested = preview?.requested ?? requestedOf(input);
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(batches)
      .values({
        kind: input.kind,
        params: targets ? { ...params, targets: targets.targets, invalidCount: targets.invalid.length } : params,
        phaseId: phase?.id ?? null,
        requested,
        failed: targets?.invalid.length ?? 0,
        createdBy: actor.staffId,
        idempotencyKey,
        requestHash,
      })
      .onConflictDoNothing({ target: [batches.createdBy, batches.idempotencyKey] })
      .returning();
    if (!row) return null;
    if (targets && targets.invalid.length > 0) {
      for (let i = 0; i < targets.invalid.length; i += 5000) {
        await tx.insert(batchFailures).values(targets.invalid.slice(i, i + 5000).map((f) => ({ batchId: row.id, input: f.input, reason: f.reason })));
      }
    }
    await recordAudit(tx, {
      actor,
      action: "batch.create",
      targetType: "batch",
      targetId: row.id,
      after: { kind: row.kind, requested: row.requested, params: "phones" in params ? { ...params, phones: `${params.phones.length} entries` } : params, preview },
    });
    return row;
  });
  if (created) return { dryRun: false, created: true, batch: created, preview };
  // Lost the race to a concurrent request with the same key: its row is committed.
  const winner = await findByKey(db, actor.staffId, idempotencyKey);
  if (!winner) throw new Error("a batch insert conflicted, yet no batch holds its idempotency key");
  return replay(winner, requestHash);
}

/** How many the batch asks for where no preview counted it: the list given, or the size. */
function requestedOf(input: ParsedBatchInput): number {
  if (input.kind === "targeted") return input.phones.length;
  if (input.kind === "member_quota" || input.size === undefined) throw new Error(`this ${input.kind} batch is counted by its preview`);
  return input.size;
}

async function findByKey(db: Database, staffId: string, key: string): Promise<Batch | null> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.createdBy, staffId), eq(batches.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

function replay(existing: Batch, requestHash: string): CreateBatchResult {
  if (existing.requestHash !== requestHash) {
    throw new AppError("idempotency_mismatch", "This Idempotency-Key was already used with a different request body.");
  }
  return { dryRun: false, created: false, batch: existing, preview: null };
}
