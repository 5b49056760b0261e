import { enqueueInvitationReminders } from "@/lib/notifications/reminders";
import { markStaleClaimsUnknown } from "@/lib/notifications/relay";
import { invitationReminders, notificationClaimSweep } from "../definitions/notifications";
import { defineProcessor } from "../processor";

export const notificationClaimSweepProcessor = defineProcessor(notificationClaimSweep, {
  // Half the staleness threshold, between 1 s and a minute.
  schedule: { repeat: (s) => ({ every: Math.min(60_000, Math.max(1000, Math.round(s.staleClaimMs / 2))) }), payload: {} },
  async handle(_payload, ctx) {
    const count = await markStaleClaimsUnknown(ctx.db, { olderThanMs: ctx.settings.staleClaimMs });
    if (count > 0) ctx.log("notifications.unknown", { count });
    return { unknown: count };
  },
});

export const invitationRemindersProcessor = defineProcessor(invitationReminders, {
  schedule: { repeat: { every: 5 * 60_000 }, payload: {} },
  async handle(_payload, ctx) {
    const count = await enqueueInvitationReminders(ctx.db);
    if (count > 0) ctx.log("reminders.enqueued", { count });
    return { reminders: count };
  },
});
