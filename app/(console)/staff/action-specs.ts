// The Staff & API tokens page's server actions as plain specs (tests run them as every role);
// actions.ts exposes them with "use server". Admin only. A generated password is returned once
// and stored only as a hash. The API token table and dialog on this page use the Account page's
// actions (account/action-specs.ts): creating is every member's own, and revoking another
// member's token is checked in lib/ (manage_staff).
import { z } from "zod";
import { zfd } from "zod-form-data";
import { staffRole } from "@/db/schema";
import { defineStaffAction } from "@/app/_server/action-spec";
import { setStaffDisabled } from "@/lib/staff/set-staff-disabled";
import { createStaffUser } from "@/lib/staff/create-staff-user";
import { setStaffRole } from "@/lib/staff/set-staff-role";
import { resetStaffPassword } from "@/lib/staff/change-password";
import { setRequireTwoFactor } from "@/lib/staff/security-settings";
import { removeTwoFactor } from "@/lib/staff/two-factor";
import { uuid } from "@/lib/validation/fields";

const staffRef = z.object({ staffId: uuid("unknown staff member") });
const role = z.enum(staffRole.enumValues, { error: "pick a role" });

export const createStaffSpec = defineStaffAction({
  permission: "manage_staff",
  schema: z.object({
    email: z.email("enter a valid e-mail address").max(254),
    role,
    name: zfd.text(z.string().trim().max(100).optional()),
  }),
  run: async (input, actor, db) => {
    // No password field: one is always generated and shown once.
    const { user, generatedPassword } = await createStaffUser(db, actor, input);
    return { id: user.id, email: user.email, role: user.role, password: generatedPassword! };
  },
});

export const setStaffRoleSpec = defineStaffAction({
  permission: "manage_staff",
  schema: staffRef.extend({ role }),
  run: async (input, actor, db) => {
    const user = await setStaffRole(db, actor, input.staffId, input.role);
    return { id: user.id, role: user.role };
  },
});

export const setStaffDisabledSpec = defineStaffAction({
  permission: "manage_staff",
  schema: staffRef.extend({ disabled: z.enum(["true", "false"]).transform((v) => v === "true") }),
  run: async (input, actor, db) => {
    const user = await setStaffDisabled(db, actor, input);
    return { id: user.id, disabled: user.disabledAt !== null };
  },
});

/** A new password, shown once; the member must change it at their next sign-in and is signed out now. */
export const resetStaffPasswordSpec = defineStaffAction({
  permission: "manage_staff",
  schema: staffRef,
  run: (input, actor, db) => resetStaffPassword(db, actor, input.staffId),
});

/** For a member who lost their phone: the second factor is removed and their sessions end. */
export const resetStaffTwoFactorSpec = defineStaffAction({
  permission: "manage_staff",
  schema: staffRef,
  run: async (input, actor, db) => {
    await removeTwoFactor(db, actor, input.staffId);
    return { id: input.staffId };
  },
});

export const setRequireTwoFactorSpec = defineStaffAction({
  permission: "manage_staff",
  schema: z.object({ requireTwoFactor: z.enum(["true", "false"]).transform((v) => v === "true") }),
  run: (input, actor, db) => setRequireTwoFactor(db, actor, input.requireTwoFactor),
});
