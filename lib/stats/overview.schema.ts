// GET /api/admin/v1/stats: the Overview's counts (some are planner estimates on large tables, and
// say so).
import { z } from "zod";
import { invitationStatus, phaseKind, phaseStatus, registrationStatus } from "@/db/schema";

const count = z.number().int().min(0);
const countsOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.object(Object.fromEntries(values.map((v) => [v, count])) as { [K in T[number]]: typeof count });

export const overviewCountsSchema = z
  .object({
    registrations: countsOf(registrationStatus.enumValues),
    registrationsTotal: count,
    registrationsExact: z.boolean(),
    waiting: count,
    members: count,
    membersExact: z.boolean(),
    phases: countsOf(phaseStatus.enumValues),
    invitations: countsOf(invitationStatus.enumValues),
    invitationsExact: z.boolean(),
    activePhase: z
      .object({
        id: z.uuid(),
        slug: z.string(),
        name: z.string(),
        kind: z.enum(phaseKind.enumValues),
        capacity: z.number().int().nullable(),
        dailyAdmissionCap: z.number().int().nullable(),
        admitted: count,
        admittedExact: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: "OverviewCounts" });
