// Periodic jobs of the fresh-registration policy and the waitlist (SPEC §3.2 rules 5–6, §7).
// Their work lists live in PostgreSQL (screening_queue, partial indexes), so the request path
// never enqueues anything: the schedulers below pick the work up.
import { z } from "zod";
import { defineJob } from "./define";

const sweepPayload = z.object({}).default({});
const keepFew = { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } as const;

/** Screens registrations waiting in screening_queue (accept | hold | reject). */
export const registrationScreening = defineJob({ queue: "registration-screening", payload: sweepPayload, options: keepFew });
/** Unverified registrations past their window → lapsed. */
export const registrationLapse = defineJob({ queue: "registration-lapse", payload: sweepPayload, options: keepFew });
/** Personal data of old lapsed/removed registrations → erased. */
export const registrationPurge = defineJob({ queue: "registration-purge", payload: sweepPayload, options: keepFew });
/** Folds waitlist_counts delta rows, keeping position lookups fast. */
export const waitlistCompaction = defineJob({ queue: "waitlist-compaction", payload: sweepPayload, options: keepFew });
/** Folds SMS send/verification signals into 5-minute statistics and holds prefixes whose conversion collapsed. */
export const smsStatistics = defineJob({ queue: "sms-statistics", payload: sweepPayload, options: keepFew });
