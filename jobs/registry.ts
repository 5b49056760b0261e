// Every processor the worker runs. To add one: define the job in jobs/definitions/<group>.ts (and
// list it in jobDefinitions there), write a thin processor with defineProcessor in the file of the
// same name under jobs/processors/ — give it `schedule` to make it periodic — and append it here.
import {
  deliverEmailProcessor,
  deliverSmsProcessor,
  invitationRemindersProcessor,
  notificationClaimSweepProcessor,
} from "./processors/notifications";
import {
  registrationLapseProcessor,
  registrationPurgeProcessor,
  registrationScreeningProcessor,
  smsStatisticsProcessor,
  waitlistCompactionProcessor,
} from "./processors/registration-policy";
import { batchDispatchProcessor, invitationExpirySweepProcessor, phaseActivationProcessor, runBatchProcessor } from "./processors/admissions";
import { deliverWebhookProcessor, webhookMaintenanceProcessor } from "./processors/webhooks";
import type { RegisteredProcessor } from "./processor";

export const processors: RegisteredProcessor[] = [
  deliverSmsProcessor,
  deliverEmailProcessor,
  notificationClaimSweepProcessor,
  invitationRemindersProcessor,
  registrationScreeningProcessor,
  registrationLapseProcessor,
  registrationPurgeProcessor,
  waitlistCompactionProcessor,
  smsStatisticsProcessor,
  runBatchProcessor,
  batchDispatchProcessor,
  invitationExpirySweepProcessor,
  phaseActivationProcessor,
  deliverWebhookProcessor,
  webhookMaintenanceProcessor,
];
