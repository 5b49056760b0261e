// What the public member endpoints answer (SPEC §5): one source for the handlers' documentation
// and the contract tests. Request bodies are the operations' own input schemas.
import { z } from "zod";
import "zod-openapi";

export const publicPhaseSchema = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), kind: z.enum(["internal", "closed", "open"]) })
  .meta({ id: "Phase" });

export const redeemResponse = z
  .object({
    memberId: z.uuid(),
    memberToken: z.string().meta({ description: "Bearer token for the member endpoints. Shown once." }),
    phase: publicPhaseSchema,
    inviteQuota: z.number().int().min(0),
  })
  .meta({ id: "RedeemResponse" });

const memberInvitation = z.object({
  invitationId: z.uuid(),
  phone: z.string().nullable().meta({ description: "Masked." }),
  status: z.enum(["pending", "sent", "redeemed", "expired", "revoked"]),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  redeemedAt: z.iso.datetime().nullable(),
});

export const memberSummaryResponse = z
  .object({
    memberId: z.uuid(),
    phase: publicPhaseSchema,
    inviteQuota: z.number().int().min(0),
    admittedAt: z.iso.datetime(),
    invitations: z.array(memberInvitation),
  })
  .meta({ id: "Member" });

export const inviteFriendResponse = z
  .object({ invitationId: z.uuid(), expiresAt: z.iso.datetime(), inviteQuota: z.number().int().min(0) })
  .meta({ id: "MemberInvitationCreated" });
