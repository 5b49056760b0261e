// Every job type, in one place. Add a definition file under jobs/definitions/ and list it here;
// then register its processor (and schedule, if periodic) in jobs/registry.ts.
import { batchDispatch, invitationExpirySweep, phaseActivation, runBatch } from "./admissions";
import type { JobDefinition } from "./define";
import { deliverEmail, deliverSms, invitationReminders, notificationClaimSweep } from "./notifications";
import { registrationLapse, registrationPurge, registrationScreening, waitlistCompaction } from "./registration-policy";

export { defineJob, keepFinished, type JobDefinition, type PayloadOf, type ParsedPayloadOf } from "./define";
export * from "./notifications";
export * from "./admissions";
export * from "./registration-policy";

export const jobDefinitions = [
  deliverSms,
  deliverEmail,
  notificationClaimSweep,
  invitationReminders,
  registrationScreening,
  registrationLapse,
  registrationPurge,
  waitlistCompaction,
  runBatch,
  batchDispatch,
  invitationExpirySweep,
  phaseActivation,
] as const satisfies readonly JobDefinition[];

/** Queue names, for the console's queue statistics. */
export const allQueueNames: readonly string[] = jobDefinitions.map((d) => d.queue);
