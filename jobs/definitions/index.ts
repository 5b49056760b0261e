// Every job type, in one place. Add a definition to jobs/definitions/<group>.ts and list it here;
// then write its processor in jobs/processors/<group>.ts (the same name) and register it in
// jobs/registry.ts (with a schedule, if periodic).
import { batchDispatch, invitationExpirySweep, phaseActivation, runBatch } from "./admissions";
import type { JobDefinition } from "./define";
import { deliverEmail, deliverSms, invitationReminders, notificationClaimSweep } from "./notifications";
import { registrationLapse, registrationPurge, registrationScreening, smsStatistics, waitlistCompaction } from "./registration-policy";
import { deliverWebhook, webhookMaintenance } from "./webhooks";

export { defineJob, keepFinished, type JobDefinition, type PayloadOf, type ParsedPayloadOf } from "./define";
export * from "./notifications";
export * from "./admissions";
export * from "./registration-policy";
export * from "./webhooks";

export const jobDefinitions = [
  deliverSms,
  deliverEmail,
  notificationClaimSweep,
  invitationReminders,
  registrationScreening,
  registrationLapse,
  registrationPurge,
  waitlistCompaction,
  smsStatistics,
  runBatch,
  batchDispatch,
  invitationExpirySweep,
  phaseActivation,
  deliverWebhook,
  webhookMaintenance,
] as const satisfies readonly JobDefinition[];

/** Queue names, for the console's queue statistics. */
export const allQueueNames: readonly string[] = jobDefinitions.map((d) => d.queue);
