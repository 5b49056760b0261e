// The Phases page's server actions, defined as plain specs (tests run them as every role);
// actions.ts exposes them with "use server". Forms send strings: the schemas coerce them into
// the lib's inputs (lib/phases/phases.schema.ts), which validates again.
import { z } from "zod";
import { zfd } from "zod-form-data";
import { expiredPlacement, phaseKind, platform } from "@/db/schema";
import { defineStaffAction } from "@/app/_server/action-spec";
import { activatePhase } from "@/lib/phases/activate-phase";
import { closePhase } from "@/lib/phases/close-phase";
import { createPhase } from "@/lib/phases/create-phase";
import { updatePhase } from "@/lib/phases/update-phase";
import { schedulePhase } from "@/lib/phases/schedule-phase";
import { countryListText, optionalUtcDateTime, phoneListText, utcDateTime, uuid, wholeNumber } from "@/lib/validation/fields";

/** Empty → null (no limit); otherwise a whole number ≥ 0. */
const optionalLimit = zfd.numeric(wholeNumber(0).optional()).transform((v) => v ?? null);
/** Empty → the default. */
const wholeNumberOr = (min: number, max: number, fallback: number) => zfd.numeric(wholeNumber(min, max).default(fallback));
/** Employee phones, one per line (or comma), in any format with the country code. */
const phoneList = phoneListText(100_000);
const platformList = zfd.repeatableOfType(z.enum(platform.enumValues)).transform((list) => (list.length === 0 ? null : list));

export const phaseForm = z.object({
  name: z.string().trim().min(1, "give the phase a name").max(100),
  slug: z
    .string()
    .trim()
    .min(2, "at least 2 characters")
    .max(60)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes"),
  kind: z.enum(phaseKind.enumValues),
  startsAt: optionalUtcDateTime,
  endsAt: optionalUtcDateTime,
  capacity: optionalLimit,
  dailyAdmissionCap: optionalLimit,
  memberInviteQuota: wholeNumberOr(0, 1000, 0),
  invitationTtlHours: wholeNumberOr(1, 24 * 90, 72),
  expiredPlacement: z.enum(expiredPlacement.enumValues).default("original"),
  autoReactivateExpired: zfd.checkbox(),
  countries: countryListText,
  platforms: platformList,
  allowedPhones: phoneList,
});

const phaseRef = z.object({ phaseId: uuid("unknown phase") });

/** Both platforms ticked means no restriction. */
function platformsOrAll(platforms: z.output<typeof platformList>) {
  return platforms && platforms.length < platform.enumValues.length ? platforms : null;
}

export const createPhaseSpec = defineStaffAction({
  permission: "manage_phases",
  schema: phaseForm,
  run: async (input, actor, db) => {
    const phase = await createPhase(db, actor, { ...input, platforms: platformsOrAll(input.platforms) });
    return { id: phase.id, slug: phase.slug };
  },
});

/**
 * The edit form sends every field it shows, so an emptied one clears the setting (no limit, every
 * country, no end). An active phase's form (`scope: running`) shows only what may change while it
 * runs; the fixed settings are absent and stay as they are.
 */
export const phaseEditForm = phaseForm
  .omit({ allowedPhones: true })
  .partial({ slug: true, kind: true, memberInviteQuota: true })
  .extend({
    phaseId: uuid("unknown phase"),
    scope: z.enum(["all", "running"]).default("all"),
    addAllowedPhones: phoneList,
    removeAllowedPhones: phoneList,
    /** Ticked entries of the allow-list, by reference (product staff never see the numbers). */
    removeAllowedPhoneRefs: zfd.repeatableOfType(z.string()).optional(),
  });

export const updatePhaseSpec = defineStaffAction({
  permission: "manage_phases",
  schema: phaseEditForm,
  run: async ({ phaseId, scope, startsAt, endsAt, platforms, ...fields }, actor, db) => {
    const window = scope === "all" ? { startsAt: startsAt ?? null, endsAt: endsAt ?? null } : { endsAt: endsAt ?? null };
    const phase = await updatePhase(db, actor, phaseId, { ...fields, ...window, platforms: platformsOrAll(platforms) });
    return { id: phase.id, slug: phase.slug };
  },
});

export const schedulePhaseSpec = defineStaffAction({
  permission: "manage_phases",
  schema: phaseRef.extend({ startsAt: utcDateTime }),
  run: async (input, actor, db) => {
    const phase = await schedulePhase(db, actor, input.phaseId, { startsAt: input.startsAt });
    return { id: phase.id, status: phase.status };
  },
});

export const activatePhaseSpec = defineStaffAction({
  permission: "manage_phases",
  schema: phaseRef,
  run: async (input, actor, db) => {
    const phase = await activatePhase(db, actor, input.phaseId);
    return { id: phase.id, status: phase.status };
  },
});

export const closePhaseSpec = defineStaffAction({
  permission: "manage_phases",
  schema: phaseRef,
  run: async (input, actor, db) => {
    const phase = await closePhase(db, actor, input.phaseId);
    return { id: phase.id, status: phase.status };
  },
});
