// Every processor the worker runs. To add one: define the job in jobs/definitions/ (and list it
// in jobDefinitions there), write a thin processor in jobs/processors/ with defineProcessor —
// give it `schedule` to make it periodic — and append it here.
import { deliverEmailProcessor, deliverSmsProcessor } from "./processors/deliver-notification";
import { invitationRemindersProcessor, notificationClaimSweepProcessor } from "./processors/notification-maintenance";
import {
  registrationLapseProcessor,
  registrationPurgeProcessor,
  registrationScreeningProcessor,
  waitlistCompactionProcessor,
} from "./processors/registration-policy";
import { batchDispatchProcessor, invitationExpirySweepProcessor, phaseActivationProcessor, runBatchProcessor } from "./processors/batch-run";
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
  runBatchProcessor,
  batchDispatchProcessor,
  invitationExpirySweepProcessor,
  phaseActivationProcessor,
];
