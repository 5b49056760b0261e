// Batches, and the periodic jobs of admissions: the invitation expiry sweep and scheduled
// phase activation. Thin: the work is in lib/.
import { runBatchChunk } from "@/lib/batches/run";
import { findUndispatchedBatches } from "@/lib/batches/dispatch";
import { unavailableStoreOf } from "@/lib/errors";
import { expireAllDueInvitations } from "@/lib/invitations/expire";
import { activateDuePhases } from "@/lib/phases/activate-phase";
import { closeEndedPhases } from "@/lib/phases/close-phase";
import { batchDispatch, invitationExpirySweep, phaseActivation, runBatch } from "../definitions/admissions";
import { defineProcessor } from "../processor";

/** How long a batch's run waits out an unavailable database before it gives up this attempt. */
const BATCH_OUTAGE_PATIENCE_MS = 5 * 60_000;

export const runBatchProcessor = defineProcessor(runBatch, {
  // Two batches side by side per process; SKIP LOCKED keeps them from taking the same people.
  concurrency: () => 2,
  async handle({ batchId }, ctx) {
    let outageSince: number | null = null;
    for (let waits = 0; ; ) {
      let chunk: Awaited<ReturnType<typeof runBatchChunk>>;
      try {
        chunk = await runBatchChunk(ctx.db, batchId, { chunkSize: ctx.settings.batchChunkSize, requestId: ctx.requestId });
      } catch (error) {
        // A database blink (terminated connections, a restart, a fail-over): the chunk's
        // transaction rolled back as a whole (or committed, and the next one re-reads the
        // counters), so running it again is exact. Wait it out here rather than spend the job's
        // few attempts on it.
        const store = unavailableStoreOf(error);
        outageSince ??= Date.now();
        if (!store || Date.now() - outageSince > BATCH_OUTAGE_PATIENCE_MS) throw error;
        if (waits === 0) ctx.log("batch.waiting_for_database", { batchId, reason: error instanceof Error ? error.message : String(error) }, "warn");
        waits += 1;
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** Math.min(waits, 5), 2_000)));
        continue;
      }
      if (outageSince !== null) ctx.log("batch.resumed", { batchId, waits });
      outageSince = null;
      waits = 0;
      const { done, batch } = chunk;
      // Progress for the console is best effort: the batch row has the counters, Redis may be away.
      await ctx.job.updateProgress({ selected: batch.selected, invited: batch.invited, requested: batch.requested }).catch(() => {});
      if (done) {
        ctx.log("batch.finished", { batchId, status: batch.status, selected: batch.selected, truncatedReason: batch.truncatedReason });
        return { status: batch.status, selected: batch.selected };
      }
    }
  },
});

/** States of a batch-run job that will still run (or is running). */
const LIVE_JOB_STATES = ["active", "waiting", "delayed", "prioritized", "waiting-children"] as const;

export const batchDispatchProcessor = defineProcessor(batchDispatch, {
  schedule: { repeat: { every: 30_000 }, payload: {} },
  async handle(_payload, ctx) {
    const ids = await findUndispatchedBatches(ctx.db);
    if (ids.length === 0) return { dispatched: 0 };
    const live = await ctx.producer.queue(runBatch).getJobs([...LIVE_JOB_STATES]);
    const running = new Set(live.map((job) => (job?.data as { batchId?: string } | undefined)?.batchId));
    const orphans = ids.filter((id) => !running.has(id));
    // A minute-scoped job id: re-adding within the minute is a no-op, a lost job is re-made later.
    const minute = Math.floor(Date.now() / 60_000);
    for (const batchId of orphans) await ctx.producer.enqueue(runBatch, { batchId }, { jobId: `${batchId}-${minute}` });
    if (orphans.length > 0) ctx.log("batches.dispatched", { batchIds: orphans });
    return { dispatched: orphans.length };
  },
});

export const invitationExpirySweepProcessor = defineProcessor(invitationExpirySweep, {
  schedule: { repeat: { every: 60_000 }, payload: {} },
  async handle(_payload, ctx) {
    const result = await expireAllDueInvitations(ctx.db);
    if (result.expired > 0) ctx.log("invitations.expired", { ...result });
    return result;
  },
});

export const phaseActivationProcessor = defineProcessor(phaseActivation, {
  schedule: { repeat: { every: 30_000 }, payload: {} },
  async handle(_payload, ctx) {
    const ended = await closeEndedPhases(ctx.db);
    if (ended) ctx.log("phase.closed", { phaseId: ended.id, slug: ended.slug });
    const phase = await activateDuePhases(ctx.db);
    if (phase) ctx.log("phase.activated", { phaseId: phase.id, slug: phase.slug });
    return { closed: ended?.slug ?? null, activated: phase?.slug ?? null };
  },
});
