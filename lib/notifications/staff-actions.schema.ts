import { z } from "zod";

export const retryNotificationInput = z.object({ notificationId: z.uuid() });
export type RetryNotificationInput = z.input<typeof retryNotificationInput>;

/**
 * Staff settle an `unknown` notification (a worker died mid-send) after checking with the
 * provider: `sent` (it was delivered) or `failed` (it was not; it can then be retried).
 */
export const resolveUnknownNotificationInput = z.object({
  notificationId: z.uuid(),
  outcome: z.enum(["sent", "failed"]),
  note: z.string().trim().max(500).optional(),
});
export type ResolveUnknownNotificationInput = z.input<typeof resolveUnknownNotificationInput>;
