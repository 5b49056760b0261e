import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batchFailures, batches, phases, type Batch, type Phase } from "@/db/schema";
import { inviteSelection } from "@/lib/invitations/issue";
import { lockAdmissionRoom, tsParam } from "@/lib/phases/admission";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import type { ParsedBatchInput } from "./batches.schema";
import { describeLimit } from "./preview";
import { expiredToReactivateSql, membersToGrantSql, nextInQueueSql, targetedSql } from "./selection";
import type { ResolvedTarget } from "./targets";

export const DEFAULT_CHUNK_SIZE = 10_000;

/** A batch's request as stored (per kind); a targeted one also keeps its resolved list and how many entries were unreadable. */
type StoredParams = (ParsedBatchInput extends infer P ? (P extends unknown ? Omit<P, "dryRun"> : never) : never) & { targets?: ResolvedTarget[]; invalidCount?: number };

interface ChunkOutcome {
  selected: number;
  invited: number;
  notified: number;
  failed: number;
  /** Set when the batch is finished after this chunk. */
  finish?: { status: "completed" | "failed"; truncatedReason?: string | null; error?: string | null };
}

/**
 * Runs the next chunk of a batch in one transaction and moves its counters; returns whether
 * the batch is finished (a completed one is announced, `batch.completed`, in that transaction). The batch row is locked for the chunk, so a cancel waits for the
 * chunk in flight and nothing runs after it; registrations are picked with SKIP LOCKED, so
 * concurrent batches never take the same person. The worker calls this in a loop.
 */
export async function runBatchChunk(
  db: Database,
  batchId: string,
  /** requestId: the request that created the batch (its job carries it), recorded on the messages and events. */
  options: { chunkSize?: number; now?: Date; requestId?: string } = {},
): Promise<{ done: boolean; batch: Batch }> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  return db.transaction(async (tx) => {
    const [batch] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update").limit(1);
    if (!batch) throw new Error(`batch ${batchId} does not exist`);
    if (batch.status !== "queued" && batch.status !== "running") return { done: true, batch };
    const now = options.now ?? new Date();
    const outcome = await runChunk(tx, batch, { chunkSize, now, requestId: options.requestId });
    const [after] = await tx
      .update(batches)
      .set({
        status: outcome.finish?.status ?? "running",
        startedAt: batch.startedAt ?? now,
        selected: sql`${batches.selected} + ${outcome.selected}`,
        invited: sql`${batches.invited} + ${outcome.invited}`,
        notified: sql`${batches.notified} + ${outcome.notified}`,
        failed: sql`${batches.failed} + ${outcome.failed}`,
        ...(outcome.finish
          ? { finishedAt: now, truncatedReason: outcome.finish.truncatedReason ?? null, error: outcome.finish.error ?? null }
          : {}),
      })
      .where(eq(batches.id, batchId))
      .returning();
    if (after!.status === "completed") {
      const { requested, selected, invited, notified, failed } = after!;
      await recordWebhookEvent(tx, "batch.completed", { batchId, kind: after!.kind, counters: { requested, selected, invited, notified, failed } }, { occurredAt: now, requestId: options.requestId });
    }
    return { done: Boolean(outcome.finish), batch: after! };
  });
}

async function loadPhase(tx: Database, phaseId: string | null): Promise<Phase | null> {
  if (!phaseId) return null;
  const [phase] = await tx.select().from(phases).where(eq(phases.id, phaseId)).limit(1);
  return phase ?? null;
}

/** What every chunk of a run shares. */
interface ChunkRun {
  chunkSize: number;
  now: Date;
  requestId: string | undefined;
}

async function runChunk(tx: Database, batch: Batch, run: ChunkRun): Promise<ChunkOutcome> {
  const { chunkSize, now, requestId } = run;
  const params = batch.params as StoredParams;
  if (params.kind === "member_quota") return grantChunk(tx, batch, params, chunkSize);

  const phase = await loadPhase(tx, batch.phaseId);
  if (!phase || phase.status !== "active") {
    return { selected: 0, invited: 0, notified: 0, failed: 0, finish: { status: "failed", error: "The batch's phase is no longer active." } };
  }
  const remaining = batch.kind === "targeted" ? (params.targets?.length ?? 0) - targetsDone(batch) : batch.requested - batch.selected;
  if (remaining <= 0) return { selected: 0, invited: 0, notified: 0, failed: 0, finish: { status: "completed" } };
  const room = await lockAdmissionRoom(tx, phase, now);
  if (room.left <= 0) {
    return { selected: 0, invited: 0, notified: 0, failed: 0, finish: { status: "completed", truncatedReason: describeLimit(room.limitedBy, 0) } };
  }
  if (batch.kind === "targeted") return targetedChunk(tx, batch, phase, params.targets ?? [], Math.min(chunkSize, room.left), run);

  const take = Math.min(chunkSize, remaining, room.left);
  const picked = batch.kind === "admit_next" ? nextInQueueSql(phase, params.filters, take) : expiredToReactivateSql(phase, params.filters, take);
  const messageKind = batch.kind === "reactivate" ? "reactivation" : "invitation";
  const done = await inviteSelection(tx, { picked, limit: take, phase, source: "batch", batchId: batch.id, messageKind, now, requestId });
  const outcome: ChunkOutcome = { selected: done.invited, invited: done.invited, notified: done.notified, failed: 0 };
  if (done.invited === 0) {
    outcome.finish = {
      status: "completed",
      truncatedReason: batch.selected < batch.requested ? `only ${batch.selected} admissible registrations were left` : null,
    };
  } else if (done.invited >= remaining) {
    outcome.finish = { status: "completed" };
  } else if (take < Math.min(chunkSize, remaining) && done.invited >= take) {
    // The room ran out with this chunk: stop here and say why.
    outcome.finish = { status: "completed", truncatedReason: describeLimit(room.limitedBy, 0) };
  }
  return outcome;
}

/** Targets are consumed in list order: each is either selected or recorded as a failure. */
function targetsDone(batch: Batch): number {
  return batch.selected + batch.failed - ((batch.params as StoredParams).invalidCount ?? 0);
}

async function targetedChunk(tx: Database, batch: Batch, phase: Phase, targets: ResolvedTarget[], take: number, run: ChunkRun): Promise<ChunkOutcome> {
  const { now, requestId } = run;
  const start = targetsDone(batch);
  const slice = targets.slice(start, start + take);
  const ids = slice.flatMap((t) => (t.registrationId ? [t.registrationId] : []));
  const phones = slice.flatMap((t) => (t.phone ? [t.phone] : []));
  const done = await inviteSelection(tx, { picked: targetedSql(phase, ids, phones, slice.length), limit: slice.length, phase, source: "batch", batchId: batch.id, now, requestId });
  // Every target is accounted for: the first entry naming a person this chunk invited counts as
  // selected, every other entry gets a failure row saying why (so the list cursor, selected +
  // failed, always advances by the slice length, duplicates included).
  const keys = slice.map((t) => t.registrationId ?? t.phone);
  const outcomes = await tx.execute<{ registration_id: string | null; status: string | null; review: string | null; invited_now: boolean; invited_by_batch: boolean }>(sql`
    with wanted as (
      select k.key, k.ord from unnest(string_to_array(${keys.join(",")}, ',')) with ordinality as k(key, ord)
    )
    select r.id as registration_id, r.status, r.review,
           exists (select 1 from invitations i where i.registration_id = r.id and i.batch_id = ${batch.id} and i.created_at = ${tsParam(now)}) as invited_now,
           exists (select 1 from invitations i where i.registration_id = r.id and i.batch_id = ${batch.id}) as invited_by_batch
    from wanted w
    left join lateral (
      select r.id, r.status, r.review from registrations r
      where r.id = case when w.key like '+%' then null else w.key::uuid end
         or (w.key like '+%' and r.phone = w.key and r.status not in ('lapsed', 'removed'))
      limit 1
    ) r on true
    order by w.ord`);
  const claimed = new Set<string>();
  const failures: { batchId: string; registrationId: string | null; input: string; reason: string }[] = [];
  outcomes.forEach((o, i) => {
    if (o.registration_id && o.invited_now && !claimed.has(o.registration_id)) {
      claimed.add(o.registration_id);
      return;
    }
    const reason = !o.registration_id
      ? "not_found"
      : o.invited_by_batch
        ? "duplicate"
        : o.status !== "waiting"
          ? `not_waiting: ${o.status}`
          : o.review === "hold"
            ? "hold"
            : "ineligible";
    failures.push({ batchId: batch.id, registrationId: o.registration_id, input: slice[i]!.input, reason });
  });
  if (failures.length > 0) await tx.insert(batchFailures).values(failures);
  const finished = start + slice.length >= targets.length;
  return {
    selected: done.invited,
    invited: done.invited,
    notified: done.notified,
    failed: failures.length,
    finish: finished ? { status: "completed" } : undefined,
  };
}

async function grantChunk(tx: Database, batch: Batch, params: Extract<StoredParams, { kind: "member_quota" }>, chunkSize: number): Promise<ChunkOutcome> {
  const { amount } = params;
  const [row] = await tx.execute<{ granted: number }>(sql`
    with picked as (${membersToGrantSql(params.filters, batch.id, batch.createdAt, chunkSize)}),
    raised as (
      update members m set invite_quota = m.invite_quota + ${amount}
      from picked where m.id = picked.id
      returning m.id
    ), ledger as (
      insert into quota_ledger (member_id, delta, reason, batch_id, actor)
      select id, ${amount}, 'grant', ${batch.id}, ${`staff:${batch.createdBy}`} from raised
      returning 1
    )
    select count(*)::int as granted from ledger`);
  const granted = row!.granted;
  return { selected: granted, invited: 0, notified: 0, failed: 0, finish: granted < chunkSize ? { status: "completed" } : undefined };
}
