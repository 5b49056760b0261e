// Admin API: beta phases (SPEC §3.3, §6).
import { phoneForRole } from "@/lib/auth/roles";
import { idParams } from "@/lib/http/params";
import { activatePhase } from "@/lib/phases/activate-phase";
import { closePhase } from "@/lib/phases/close-phase";
import { createPhase } from "@/lib/phases/create-phase";
import { getPhase } from "@/lib/phases/get-phase";
import { listAllowedPhones, listPhases } from "@/lib/phases/list-phases";
import { schedulePhase } from "@/lib/phases/schedule-phase";
import { updatePhase } from "@/lib/phases/update-phase";
import { createPhaseInput, schedulePhaseInput, updatePhaseInput } from "@/lib/phases/phases.schema";
import type { z } from "zod";
import { shapeResponse } from "@/lib/http/shape-response";
import { phaseListSchema, phaseSchema, phaseWithAllowListSchema } from "@/lib/phases/phase-responses.schema";
import { adminRoute, type AdminRouteContext, reply, type RouteDefinition } from "./define-route";

/** POST /api/admin/v1/phases/{id}/<verb>: one lifecycle step of one phase. */
function phaseOperation<B extends z.ZodType | undefined>(options: {
  id: string;
  verb: string;
  summary: string;
  body?: B;
  run: (ctx: AdminRouteContext<B, typeof idParams, undefined>) => Promise<unknown>;
}): RouteDefinition {
  return adminRoute(
    {
      id: options.id,
      method: "POST",
      path: `/api/admin/v1/phases/{id}/${options.verb}`,
      tags: ["phases"],
      summary: options.summary,
      permission: "manage_phases",
      params: idParams,
      body: options.body,
      responses: { 200: { description: "The phase", schema: phaseSchema } },
      errors: [404, 409],
    },
    async (ctx) => shapeResponse(phaseSchema, await options.run(ctx)),
  );
}

export const adminPhaseRoutes: RouteDefinition[] = [
  adminRoute(
    {
      id: "listPhases",
      method: "GET",
      path: "/api/admin/v1/phases",
      tags: ["phases"],
      summary: "Every phase, newest first",
      permission: "view",
      responses: { 200: { description: "The phases", schema: phaseListSchema } },
    },
    async ({ db }) => shapeResponse(phaseListSchema, { items: await listPhases(db) }),
  ),
  adminRoute(
    {
      id: "createPhase",
      method: "POST",
      path: "/api/admin/v1/phases",
      tags: ["phases"],
      summary: "A new draft phase",
      permission: "manage_phases",
      body: createPhaseInput,
      responses: { 201: { description: "The phase", schema: phaseSchema } },
      errors: [409],
    },
    async ({ body, actor, db }) => reply(201, shapeResponse(phaseSchema, await createPhase(db, actor, body))),
  ),
  adminRoute(
    {
      id: "getPhase",
      method: "GET",
      path: "/api/admin/v1/phases/{id}",
      tags: ["phases"],
      summary: "A phase with its employee allow-list (phones as the role may see them)",
      permission: "view",
      params: idParams,
      responses: { 200: { description: "The phase", schema: phaseWithAllowListSchema } },
      errors: [404],
    },
    async ({ params, actor, db }) => {
      const phase = await getPhase(db, params.id);
      const allowed = await listAllowedPhones(db, phase.id);
      return shapeResponse(phaseWithAllowListSchema, { ...phase, allowedPhones: allowed.map((p) => phoneForRole(actor.role, p)) });
    },
  ),
  adminRoute(
    {
      id: "updatePhase",
      method: "PATCH",
      path: "/api/admin/v1/phases/{id}",
      tags: ["phases"],
      summary: "Edit a phase's settings (not once closed)",
      permission: "manage_phases",
      params: idParams,
      body: updatePhaseInput,
      responses: { 200: { description: "The phase", schema: phaseSchema } },
      errors: [404, 409],
    },
    async ({ params, body, actor, db }) => shapeResponse(phaseSchema, await updatePhase(db, actor, params.id, body)),
  ),
  phaseOperation({
    id: "schedulePhase",
    verb: "schedule",
    summary: "Schedule a phase: the scheduler activates it at startsAt",
    body: schedulePhaseInput,
    run: ({ params, body, actor, db }) => schedulePhase(db, actor, params.id, body),
  }),
  phaseOperation({
    id: "activatePhase",
    verb: "activate",
    summary: "Activate a phase: closes the active one, tops member quotas up",
    run: ({ params, actor, db }) => activatePhase(db, actor, params.id),
  }),
  phaseOperation({
    id: "closePhase",
    verb: "close",
    summary: "Close a phase",
    run: ({ params, actor, db }) => closePhase(db, actor, params.id),
  }),
];
