// The Account page's server actions (SPEC §4: every staff member — password, second factor, own
// API tokens) as plain specs; actions.ts exposes them. They act on the signed-in member only; the
// password and second-factor ones run while the account owes a step (a password an admin reset, a
// second factor the console requires), since they are how it pays it. The Staff page's token table
// uses the same token actions: an admin's revoke reaches every member's token (lib decides).
import { z } from "zod";
import { zfd } from "zod-form-data";
import { defineStaffAction } from "@/app/_server/action-spec";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { changeOwnPassword } from "@/lib/staff/change-password";
import { getStaffSecurity } from "@/lib/staff/security-settings";
import { createApiToken } from "@/lib/staff/create-api-token";
import { revokeApiToken } from "@/lib/staff/revoke-api-token";
import { API_TOKEN_MAX_DAYS, staffPassword } from "@/lib/staff/staff.schema";
import { confirmTwoFactorEnrolment, regenerateRecoveryCodes, removeTwoFactor, startTwoFactorEnrolment } from "@/lib/staff/two-factor";
import { verificationSlots } from "@/lib/staff/verification-slots";
import { AppError } from "@/lib/errors";
import { uuid, wholeNumber } from "@/lib/validation/fields";

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(200),
    newPassword: staffPassword,
    confirmPassword: z.string().max(200),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "does not match the new password" });

/** The current password is checked like a sign-in: verification slots, throttle per address and account. */
export function changeOwnPasswordSpec(clientAddress: string) {
  return defineStaffAction({
    permission: "view",
    allowPendingStep: true,
    schema: changePasswordSchema,
    run: async (input, actor, db) => {
      await changeOwnPassword(db, { limiter: getRateLimiter(), slots: verificationSlots() }, actor, {
        currentPassword: input.currentPassword,
        newPassword: input.newPassword,
        clientAddress,
      });
      return { changed: true };
    },
  });
}

export const startTwoFactorSpec = defineStaffAction({
  permission: "view",
  allowPendingStep: true,
  schema: z.object({}),
  run: (_input, actor, db) => startTwoFactorEnrolment(db, actor),
});

export const confirmTwoFactorSpec = defineStaffAction({
  permission: "view",
  allowPendingStep: true,
  schema: z.object({ code: z.string().trim().regex(/^\d{6}$/, "the 6 digits your app shows") }),
  run: (input, actor, db) => confirmTwoFactorEnrolment(db, actor, input),
});

export const regenerateRecoveryCodesSpec = defineStaffAction({
  permission: "view",
  schema: z.object({}),
  run: (_input, actor, db) => regenerateRecoveryCodes(db, actor),
});

export const disableTwoFactorSpec = defineStaffAction({
  permission: "view",
  schema: z.object({}),
  run: async (_input, actor, db) => {
    if ((await getStaffSecurity(db)).requireTwoFactor) {
      throw new AppError("invalid_state", "The console requires a second factor: set up a new one instead of turning it off.");
    }
    await removeTwoFactor(db, actor, actor.staffId);
    return { disabled: true };
  },
});

/** A token of one's own, for any role (SPEC §6): there is no owner field, it acts as its creator. */
export const createApiTokenSpec = defineStaffAction({
  permission: "view",
  schema: z.object({
    name: z.string().trim().min(1, "name it after what uses it").max(100),
    /** Days; empty → the default. */
    expiresInDays: zfd.numeric(wholeNumber(1, API_TOKEN_MAX_DAYS).optional()),
  }),
  run: async (input, actor, db) => {
    const { token, row } = await createApiToken(db, actor, input);
    return { id: row.id, prefix: row.prefix, token };
  },
});

/** One's own token for any role; another member's only for an admin (checked in lib/: not_found otherwise). */
export const revokeApiTokenSpec = defineStaffAction({
  permission: "view",
  schema: z.object({ tokenId: uuid("unknown token") }),
  run: async (input, actor, db) => {
    await revokeApiToken(db, actor, input.tokenId);
    return { id: input.tokenId };
  },
});
