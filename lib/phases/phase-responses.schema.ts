// What the admin API answers about phases (SPEC §3.3, §6); the OpenAPI document is generated from
// these, and the handlers shape their answers through them.
import { z } from "zod";
import { expiredPlacement, phaseKind, phaseStatus, platform } from "@/db/schema";

const isoTime = z.iso.datetime();

export const phaseSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    kind: z.enum(phaseKind.enumValues),
    status: z.enum(phaseStatus.enumValues),
    startsAt: isoTime.nullable(),
    endsAt: isoTime.nullable(),
    capacity: z.number().int().nullable(),
    dailyAdmissionCap: z.number().int().nullable(),
    memberInviteQuota: z.number().int(),
    invitationTtlHours: z.number().int(),
    expiredPlacement: z.enum(expiredPlacement.enumValues),
    autoReactivateExpired: z.boolean(),
    countries: z.array(z.string()).nullable(),
    platforms: z.array(z.enum(platform.enumValues)).nullable(),
    activatedAt: isoTime.nullable(),
    closedAt: isoTime.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: "BetaPhase" });

export const phaseListSchema = z.object({ items: z.array(phaseSchema) }).meta({ id: "BetaPhaseList" });

export const phaseWithAllowListSchema = phaseSchema
  .extend({ allowedPhones: z.array(z.string()).meta({ description: "Employee phones of an internal phase, masked for roles that may not see full numbers" }) })
  .meta({ id: "BetaPhaseDetail" });
