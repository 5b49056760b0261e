// Admin API: registrations and what support and growth do to one (SPEC §6), and the stats.
import { z } from "zod";
import type { Registration } from "@/db/schema";
import { type Actor, type Permission, phoneForRole } from "@/lib/auth/roles";
import { shapeResponse } from "@/lib/http/shape-response";
import { idParams } from "@/lib/http/params";
import { reactivateRegistration, reactivateRegistrationInput } from "@/lib/registrations/reactivate-registration";
import { resendInvitation } from "@/lib/invitations/resend-invitation";
import { revokeInvitation, revokeInvitationInput } from "@/lib/invitations/revoke-invitation";
import { getRegistrationDetail } from "@/lib/registrations/registration-detail";
import { listRegistrations, registrationListInput } from "@/lib/registrations/list-registrations";
import { blockRegistration, blockRegistrationInput } from "@/lib/registrations/block-registration";
import { boostRegistration, boostRegistrationInput } from "@/lib/registrations/boost-registration";
import { clearRegistration, clearRegistrationInput } from "@/lib/registrations/clear-registration";
import { holdRegistration, holdRegistrationInput } from "@/lib/registrations/hold-registration";
import { removeRegistration, removeRegistrationInput } from "@/lib/registrations/remove-registration";
import {
  registrationDetailSchema,
  registrationListSchema,
  registrationStatusChangeSchema,
  resentInvitationSchema,
  staffRegistrationSchema,
} from "@/lib/registrations/registration-responses.schema";
import { getOverviewCounts } from "@/lib/stats/overview";
import { overviewCountsSchema } from "@/lib/stats/overview.schema";
import { uuid } from "@/lib/validation/fields";
import { adminRoute, type AdminRouteContext, type RouteDefinition } from "./define-route";

/** SPEC §6 names the page cursor `cursor`: the id of the last row of the previous page. */
const listQuery = registrationListInput.omit({ after: true, before: true }).extend({ cursor: uuid().optional() });

/** POST /api/admin/v1/registrations/{id}/<verb>: one staff operation on one registration. */
function registrationOperation<B extends z.ZodType | undefined, S extends z.ZodType>(options: {
  id: string;
  verb: string;
  summary: string;
  permission: Permission;
  body?: B;
  /** What it answers; the handler's result is shaped through it. */
  schema: S;
  description: string;
  run: (ctx: AdminRouteContext<B, typeof idParams, undefined>) => Promise<unknown>;
}): RouteDefinition {
  return adminRoute(
    {
      id: options.id,
      method: "POST",
      path: `/api/admin/v1/registrations/{id}/${options.verb}`,
      tags: ["registrations"],
      summary: options.summary,
      permission: options.permission,
      params: idParams,
      body: options.body,
      responses: { 200: { description: options.description, schema: options.schema } },
      // 404: no such registration; 409: not in a state this operation applies to.
      errors: [404, 409],
    },
    async (ctx) => shapeResponse(options.schema, await options.run(ctx)),
  );
}

/** A registration row after a staff operation, its phone as the actor's role may see it. */
const asStaffRegistration = (actor: Actor, row: Registration) => ({ ...row, phone: phoneForRole(actor.role, row.phone) });

const changed = { schema: staffRegistrationSchema, description: "The registration after the change" };

export const adminRegistrationRoutes: RouteDefinition[] = [
  adminRoute(
    {
      id: "listRegistrations",
      method: "GET",
      path: "/api/admin/v1/registrations",
      tags: ["registrations"],
      summary: "Registrations (filters: status, q, country, platform, review, legacy; sort, dir; keyset `cursor`)",
      permission: "view",
      query: listQuery,
      responses: { 200: { description: "A page of registrations", schema: registrationListSchema } },
    },
    async ({ query, actor, db }) => {
      const { cursor, ...filters } = query;
      const page = await listRegistrations(db, actor, { ...filters, after: cursor });
      return shapeResponse(registrationListSchema, { items: page.rows, order: page.order, dir: page.dir, nextCursor: page.nextCursor, searchNote: page.searchNote });
    },
  ),
  adminRoute(
    {
      id: "getRegistration",
      method: "GET",
      path: "/api/admin/v1/registrations/{id}",
      tags: ["registrations"],
      summary: "A registration: position and why, invitations, membership, timeline",
      permission: "view",
      params: idParams,
      responses: { 200: { description: "The registration", schema: registrationDetailSchema } },
      errors: [404],
    },
    async ({ params, actor, db }) => shapeResponse(registrationDetailSchema, await getRegistrationDetail(db, actor, params.id)),
  ),
  registrationOperation({
    id: "reactivateRegistration",
    verb: "reactivate",
    summary: "Expired or removed → waiting",
    permission: "manage_registration",
    body: reactivateRegistrationInput.default({}),
    schema: registrationStatusChangeSchema,
    description: "Back in the queue",
    run: ({ params, body, actor, db }) => reactivateRegistration(db, actor, params.id, body),
  }),
  registrationOperation({
    id: "removeRegistration",
    verb: "remove",
    summary: "Remove from the queue, with a reason",
    permission: "manage_registration",
    body: removeRegistrationInput,
    ...changed,
    run: async ({ params, body, actor, db }) => asStaffRegistration(actor, await removeRegistration(db, actor, params.id, body)),
  }),
  registrationOperation({
    id: "holdRegistration",
    verb: "hold",
    summary: "Keep it out of every batch until cleared",
    permission: "manage_registration",
    body: holdRegistrationInput.default({}),
    ...changed,
    run: async ({ params, body, actor, db }) => asStaffRegistration(actor, await holdRegistration(db, actor, params.id, body)),
  }),
  registrationOperation({
    id: "clearRegistration",
    verb: "clear",
    summary: "Release a hold",
    permission: "manage_registration",
    body: clearRegistrationInput.default({}),
    ...changed,
    run: async ({ params, body, actor, db }) => asStaffRegistration(actor, await clearRegistration(db, actor, params.id, body)),
  }),
  registrationOperation({
    id: "blockRegistration",
    verb: "block",
    summary: "Block: the phone can never register again",
    permission: "manage_registration",
    body: blockRegistrationInput,
    ...changed,
    run: async ({ params, body, actor, db }) => asStaffRegistration(actor, await blockRegistration(db, actor, params.id, body)),
  }),
  registrationOperation({
    id: "boostRegistration",
    verb: "boost",
    summary: "Add priority points (reason required; category legacy_account is refused)",
    permission: "manage_batches",
    body: boostRegistrationInput,
    ...changed,
    run: async ({ params, body, actor, db }) => asStaffRegistration(actor, await boostRegistration(db, actor, params.id, body)),
  }),
  registrationOperation({
    id: "resendInvitation",
    verb: "resend",
    summary: "A new code for the open invitation; the old one dies",
    permission: "manage_registration",
    schema: resentInvitationSchema,
    description: "The new invitation (its code goes to the person by SMS only)",
    run: async ({ params, actor, db }) => {
      const invitation = await resendInvitation(db, actor, params.id);
      return { invitationId: invitation.id, status: invitation.status, expiresAt: invitation.expiresAt.toISOString() };
    },
  }),
  registrationOperation({
    id: "revokeInvitation",
    verb: "revoke",
    summary: "Withdraw the open invitation; back to waiting",
    permission: "manage_registration",
    schema: registrationStatusChangeSchema,
    description: "Back in the queue",
    body: revokeInvitationInput,
    run: async ({ params, body, actor, db }) => {
      await revokeInvitation(db, actor, params.id, body.reason);
      return { status: "waiting" };
    },
  }),
  adminRoute(
    {
      id: "getStats",
      method: "GET",
      path: "/api/admin/v1/stats",
      tags: ["stats"],
      summary: "The Overview's counts: registrations by status, invitations, members, active phase",
      permission: "view",
      responses: { 200: { description: "The counts", schema: overviewCountsSchema } },
    },
    async ({ db }) => shapeResponse(overviewCountsSchema, await getOverviewCounts(db)),
  ),
];
