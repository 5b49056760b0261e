import { z } from "zod";
import type { NotificationChannel } from "@/db/schema";
import { defineJob, keepFinished } from "./define";

const deliverPayload = z.object({ notificationId: z.uuid() });

/**
 * Retries: 5 attempts, exponential backoff from 2 s with 50 % jitter (2, 4, 8, 16 s ± jitter), so
 * a provider outage is not hammered in lockstep by every worker.
 */
export const notificationBackoff = (delay = 2000) => ({ type: "exponential", delay, jitter: 0.5 }) as const;

const deliveryOptions = {
  attempts: 5,
  backoff: notificationBackoff(),
  ...keepFinished,
} as const;

/**
 * One queue per channel: BullMQ's rate limiter works per queue, and SMS and e-mail providers
 * have separate limits. Job id = notification id (set by the relay).
 */
export const deliverSms = defineJob({ queue: "notifications-sms", payload: deliverPayload, options: deliveryOptions });
export const deliverEmail = defineJob({ queue: "notifications-email", payload: deliverPayload, options: deliveryOptions });

export const deliveryDefinitionByChannel = {
  sms: deliverSms,
  email: deliverEmail,
} as const satisfies Record<NotificationChannel, typeof deliverSms | typeof deliverEmail>;

const sweepPayload = z.object({}).default({});

/** Stale `sending` claims → `unknown`; codes of settled failed/unknown rows erased (periodic). */
export const notificationClaimSweep = defineJob({
  queue: "notification-claim-sweep",
  payload: sweepPayload,
  options: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
});

/** Inserts due invitation reminders into the outbox (periodic). */
export const invitationReminders = defineJob({
  queue: "invitation-reminders",
  payload: sweepPayload,
  options: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
});
