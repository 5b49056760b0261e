import { aggregateSmsStats } from "@/lib/policy/aggregate-sms-stats";
import { holdCollapsedPrefixes } from "@/lib/policy/hold-collapsed-prefixes";
import { screenAllQueued } from "@/lib/policy/screening";
import { lapseUnverified, purgePersonalData } from "@/lib/policy/sweeps";
import { compactWaitlistCounts, vacuumWaitlistCounts } from "@/lib/registrations/position";
import { registrationLapse, registrationPurge, registrationScreening, smsStatistics, waitlistCompaction } from "../definitions/registration-policy";
import { defineProcessor } from "../processor";

export const registrationScreeningProcessor = defineProcessor(registrationScreening, {
  schedule: { repeat: { every: 5_000 }, payload: {} },
  async handle(_payload, ctx) {
    const screened = await screenAllQueued(ctx.db);
    if (screened > 0) ctx.log("registrations.screened", { screened });
    return { screened };
  },
});

export const registrationLapseProcessor = defineProcessor(registrationLapse, {
  schedule: { repeat: { every: 60_000 }, payload: {} },
  async handle(_payload, ctx) {
    const lapsed = await lapseUnverified(ctx.db);
    if (lapsed > 0) ctx.log("registrations.lapsed", { lapsed });
    return { lapsed };
  },
});

export const registrationPurgeProcessor = defineProcessor(registrationPurge, {
  schedule: { repeat: { every: 60 * 60_000 }, payload: {} },
  async handle(_payload, ctx) {
    const erased = await purgePersonalData(ctx.db);
    if (erased > 0) ctx.log("registrations.erased", { erased });
    return { erased };
  },
});

export const waitlistCompactionProcessor = defineProcessor(waitlistCompaction, {
  schedule: { repeat: { every: 30_000 }, payload: {} },
  async handle(_payload, ctx) {
    const result = await compactWaitlistCounts(ctx.db);
    if (result.rowsBefore > 0) await vacuumWaitlistCounts(ctx.db);
    return result;
  },
});

export const smsStatisticsProcessor = defineProcessor(smsStatistics, {
  schedule: { repeat: { every: 60_000 }, payload: {} },
  async handle(_payload, ctx) {
    const folded = await aggregateSmsStats(ctx.db);
    // The rule reads the buckets just folded; a run that found another worker folding still judges.
    const held = await holdCollapsedPrefixes(ctx.db);
    for (const hold of held) ctx.log("sms.prefix_held", { prefix: hold.prefix, country: hold.country, sends: hold.sends, verified: hold.verified });
    return { folded, held: held.length };
  },
});
