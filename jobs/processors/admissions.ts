// Batches, and the periodic jobs of admissions: the invitation expiry sweep and scheduled
// phase activation. Thin: the work is in lib/.
import { runBatchChunk } from "@/lib/batches/run";
import { findUndispatchedBatches } from "@/lib/batches/dispatch";
import { expireAllDueInvitations } from "@/lib/invitations/expire";
import { activateDuePhases } from "@/lib/phases/activate-phase";
import { closeEndedPhases } from "@/lib/phases/close-phase";
import { batchDispatch, invitationExpirySweep, phaseActivation, runBatch } from "../definitions/admissions";
import { defineProcessor } from "../processor";

export const runBatchProcessor = defineProcessor(runBatch, {
  // Two batches side by side per process; SKIP LOCKED keeps them from taking the same people.
  concurrency: () => 2,
  async handle({ batchId }, ctx) {
    for (;;) {
      const { done, batch } = await runBatchChunk(ctx.db, batchId);
      await ctx.job.updateProgress({ selected: batch.selected, invited: batch.invited, requested: batch.requested });
      if (done) {
        ctx.log("batch.finished", { batchId, status: batch.status, selected: batch.selected, truncatedReason: batch.truncatedReason });
        return { status: batch.status, selected: batch.selected };
      }
    }
  },
});

export const batchDispatchProcessor = defineProcessor(batchDispatch, {
  schedule: { repeat: { every: 30_000 }, payload: {} },
  async handle(_payload, ctx) {
    const ids = await findUndispatchedBatches(ctx.db);
    // A minute-scoped job id: re-adding within the minute is a no-op, a lost job is re-made later.
    const minute = Math.floor(Date.now() / 60_000);
    for (const batchId of ids) await ctx.producer.enqueue(runBatch, { batchId }, { jobId: `${batchId}-${minute}` });
    return { dispatched: ids.length };
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
