// Invitation redemption and member endpoints (SPEC §5). Request bodies are the domain's own
// input schemas; the response shapes follow the SPEC.
import { z } from "zod";
import { redeemInvitationInput } from "@/lib/invitations/redeem";
import { inviteFriendInput } from "@/lib/members/invite-friend";
import { bodyErrors, jsonBody, jsonResponse, type OpenApiOperation, problemResponse } from "../shared";

const phase = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), kind: z.enum(["internal", "closed", "open"]) })
  .meta({ id: "Phase" });

const redeemResponse = z
  .object({
    memberId: z.uuid(),
    memberToken: z.string().meta({ description: "Bearer token for the member endpoints. Shown once." }),
    phase,
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

const memberSummary = z
  .object({ memberId: z.uuid(), phase, inviteQuota: z.number().int().min(0), admittedAt: z.iso.datetime(), invitations: z.array(memberInvitation) })
  .meta({ id: "Member" });

const inviteResponse = z
  .object({ invitationId: z.uuid(), expiresAt: z.iso.datetime(), inviteQuota: z.number().int().min(0) })
  .meta({ id: "MemberInvitationCreated" });

export const memberOperations: OpenApiOperation[] = [
  {
    method: "post",
    path: "/api/v1/invitations/redeem",
    operation: {
      operationId: "redeemInvitation",
      tags: ["invitations"],
      summary: "Redeem an invitation code with the phone it was sent to; become a member",
      requestBody: jsonBody(redeemInvitationInput.meta({ id: "RedeemRequest" })),
      responses: { "200": jsonResponse("Redeemed", redeemResponse), ...bodyErrors, "409": problemResponse(409) },
    },
  },
  {
    method: "get",
    path: "/api/v1/members/me",
    operation: {
      operationId: "getMe",
      tags: ["members"],
      summary: "The member, their phase, invite quota and sent invitations",
      security: [{ memberToken: [] }],
      responses: { "200": jsonResponse("The member", memberSummary), "401": problemResponse(401), "429": problemResponse(429) },
    },
  },
  {
    method: "post",
    path: "/api/v1/members/me/invitations",
    operation: {
      operationId: "inviteFriend",
      tags: ["members"],
      summary: "Invite a friend by phone number (uses one invite)",
      security: [{ memberToken: [] }],
      requestBody: jsonBody(inviteFriendInput.meta({ id: "InviteFriendRequest" })),
      responses: {
        "201": jsonResponse("Invitation created and sent", inviteResponse),
        ...bodyErrors,
        "401": problemResponse(401),
        "409": problemResponse(409, "Quota exhausted (type …/quota-exhausted) or the phone cannot be invited"),
      },
    },
  },
];
