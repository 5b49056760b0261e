// The Notifications page's server actions as plain specs (tests run them as every role);
// actions.ts exposes them with "use server". Support, growth and admin may retry and resolve
// (SPEC §3.8 "resend"); the lib functions check it again and audit.
import { defineStaffAction } from "@/app/_server/action-spec";
import { resolveUnknownNotification, resolveUnknownNotificationInput } from "@/lib/notifications/resolve-unknown-notification";
import { retryNotification, retryNotificationInput } from "@/lib/notifications/retry-notification";

export const retryNotificationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: retryNotificationInput,
  run: async (input, actor, db) => {
    const row = await retryNotification(db, actor, input);
    return { id: row.id, status: row.status };
  },
});

export const resolveNotificationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: resolveUnknownNotificationInput,
  run: async (input, actor, db) => {
    const row = await resolveUnknownNotification(db, actor, input);
    return { id: row.id, status: row.status };
  },
});
