import { z } from "zod";
import { expiredPlacement, phaseKind, platform } from "@/db/schema";
import { countryList, phoneList as phones, wholeNumber } from "@/lib/validation/fields";

const optionalInt = wholeNumber(0).nullable();

/**
 * The editable settings of a phase (SPEC §3.3), shared by console forms, the admin API and tests.
 * No defaults here: an edit that leaves a setting out leaves it as it is.
 */
const settingRules = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(phaseKind.enumValues),
  startsAt: z.coerce.date().nullable(),
  endsAt: z.coerce.date().nullable(),
  capacity: optionalInt,
  dailyAdmissionCap: optionalInt,
  memberInviteQuota: wholeNumber(0, 1000),
  invitationTtlHours: wholeNumber(1, 24 * 90),
  expiredPlacement: z.enum(expiredPlacement.enumValues),
  autoReactivateExpired: z.boolean(),
  countries: countryList.nullable(),
  platforms: z.array(z.enum(platform.enumValues)).min(1).nullable(),
});

const slug = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");

/** Employee phones of an `internal` phase: any format with the country code, stored as E.164. */
const phoneList = phones(100_000);

const windowInOrder = (p: { startsAt?: Date | null; endsAt?: Date | null }) => !p.startsAt || !p.endsAt || p.endsAt > p.startsAt;

/** A new phase: what is left out takes the defaults. */
export const phaseSettings = settingRules.extend({
  startsAt: settingRules.shape.startsAt.optional(),
  endsAt: settingRules.shape.endsAt.optional(),
  capacity: settingRules.shape.capacity.optional(),
  dailyAdmissionCap: settingRules.shape.dailyAdmissionCap.optional(),
  memberInviteQuota: settingRules.shape.memberInviteQuota.default(0),
  invitationTtlHours: settingRules.shape.invitationTtlHours.default(72),
  expiredPlacement: settingRules.shape.expiredPlacement.default("original"),
  autoReactivateExpired: settingRules.shape.autoReactivateExpired.default(false),
  countries: settingRules.shape.countries.optional(),
  platforms: settingRules.shape.platforms.optional(),
  /** Replaces the whole allow-list when given. */
  allowedPhones: phoneList.optional(),
});

export const createPhaseInput = phaseSettings.extend({ slug }).refine(windowInOrder, { path: ["endsAt"], message: "must be after startsAt" });
export type CreatePhaseInput = z.input<typeof createPhaseInput>;

/**
 * An edit: only the settings given change. The allow-list is replaced (`allowedPhones`) or edited
 * entry by entry: numbers to add or remove, or entries to remove by the opaque `ref` the console
 * shows in place of a number the role may not read (lib/phases/allowed-phone-entries.ts).
 */
export const updatePhaseInput = settingRules
  .partial()
  .extend({
    slug: slug.optional(),
    allowedPhones: phoneList.optional(),
    addAllowedPhones: phoneList.optional(),
    removeAllowedPhones: phoneList.optional(),
    removeAllowedPhoneRefs: z.array(z.string().regex(/^[\w-]{22}$/, "must be an allow-list entry reference")).max(100_000).optional(),
  })
  .refine(windowInOrder, { path: ["endsAt"], message: "must be after startsAt" });
export type UpdatePhaseInput = z.input<typeof updatePhaseInput>;

/**
 * Settings that mean something only before a phase opens, fixed while it is active: its slug
 * (webhooks and the app already know it), kind, start, and invites per member (topped up at
 * activation).
 */
export const FIXED_ONCE_ACTIVE = ["slug", "kind", "startsAt", "memberInviteQuota"] as const;

export const schedulePhaseInput = z.object({ startsAt: z.coerce.date() });
