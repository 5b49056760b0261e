// The registration detail page's server actions as plain specs (tests run them as every role);
// actions.ts exposes them with "use server". Each calls the lib function that owns the rule,
// which authorizes and audits again.
import { z } from "zod";
import { zfd } from "zod-form-data";
import { defineStaffAction } from "@/app/_server/action-spec";
import { reactivateRegistration } from "@/lib/registrations/reactivate-registration";
import { resendInvitation } from "@/lib/invitations/resend-invitation";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";
import { boostCategories, boostRegistration } from "@/lib/registrations/boost-registration";
import { blockRegistration } from "@/lib/registrations/block-registration";
import { clearRegistration } from "@/lib/registrations/clear-registration";
import { holdRegistration } from "@/lib/registrations/hold-registration";
import { releaseSmsBudget } from "@/lib/registrations/release-sms-budget";
import { removeRegistration } from "@/lib/registrations/remove-registration";
import { uuid, wholeNumber } from "@/lib/validation/fields";

const target = z.object({ registrationId: uuid("unknown registration") });
// zfd.text reads an empty field as not given: the same message for missing and short.
const reasonText = z
  .string({ error: "give a reason (at least 3 characters)" })
  .trim()
  .min(3, "give a reason (at least 3 characters)")
  .max(500, "at most 500 characters");
const reason = zfd.text(reasonText);
const optionalReason = zfd.text(reasonText.optional());

export const removeRegistrationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target.extend({ reason }),
  run: async ({ registrationId, reason }, actor, db) => {
    const row = await removeRegistration(db, actor, registrationId, { reason });
    return { status: row.status };
  },
});

export const blockRegistrationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target.extend({ reason }),
  run: async ({ registrationId, reason }, actor, db) => {
    const row = await blockRegistration(db, actor, registrationId, { reason });
    return { status: row.status };
  },
});

export const holdRegistrationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target.extend({ reason: optionalReason }),
  run: async ({ registrationId, reason }, actor, db) => {
    const row = await holdRegistration(db, actor, registrationId, { reason });
    return { review: row.review };
  },
});

export const clearRegistrationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target.extend({ reason: optionalReason }),
  run: async ({ registrationId, reason }, actor, db) => {
    const row = await clearRegistration(db, actor, registrationId, { reason });
    return { review: row.review };
  },
});

export const boostRegistrationSpec = defineStaffAction({
  permission: "manage_batches",
  schema: target.extend({
    points: zfd.numeric(wholeNumber(-1000, 1000).refine((p) => p !== 0, "must not be 0")),
    reason,
    category: z.enum(boostCategories, { error: "pick a category" }),
  }),
  run: async ({ registrationId, ...input }, actor, db) => {
    const row = await boostRegistration(db, actor, registrationId, input);
    return { priority: row.priority };
  },
});

export const resendInvitationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target,
  run: async ({ registrationId }, actor, db) => {
    const invitation = await resendInvitation(db, actor, registrationId);
    return { invitationId: invitation.id, expiresAt: invitation.expiresAt.toISOString() };
  },
});

export const revokeInvitationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target.extend({ reason: optionalReason }),
  run: async ({ registrationId, reason }, actor, db) => {
    await revokeInvitation(db, actor, registrationId, reason);
    return { status: "waiting" as const };
  },
});

export const reactivateRegistrationSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target.extend({ reason: optionalReason }),
  run: async ({ registrationId, reason }, actor, db) => reactivateRegistration(db, actor, registrationId, { reason }),
});

/** Sends a verification code withheld for an SMS budget (SPEC §3.2 rule 7). */
export const releaseSmsBudgetSpec = defineStaffAction({
  permission: "manage_registration",
  schema: target,
  run: async ({ registrationId }, actor, db) => {
    const row = await releaseSmsBudget(db, actor, registrationId);
    return { verificationExpiresAt: row.verificationExpiresAt?.toISOString() ?? null };
  },
});
