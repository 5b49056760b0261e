// The mobile app's API, `/api/v1` (SPEC §5). Each handler: rate limits by client address and by
// phone or token, then one lib/ call. The front server serves these outside Next's pipeline.
import { AppError } from "@/lib/errors";
import { bearerTokenFrom } from "@/lib/http/request";
import { redeemInvitation, redeemInvitationInput } from "@/lib/invitations/redeem";
import { inviteFriendResponse, memberSummaryResponse, redeemResponse } from "@/lib/members/member-api.schema";
import { inviteFriend, inviteFriendInput } from "@/lib/members/invite-friend";
import { requireMember } from "@/lib/members/member-auth";
import { getMemberSummary } from "@/lib/members/get-member-summary";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { countRegistration, countVerification } from "@/lib/metrics/process-metrics";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { countRegistrationAttempt } from "@/lib/registrations/count-registration-attempt";
import { countVerificationAttempt } from "@/lib/registrations/count-verification-attempt";
import { registerPhone } from "@/lib/registrations/register";
import {
  registerBody,
  registerResponse,
  registrationIdParams,
  registrationStatusResponse,
  verifyBody,
  verifyResponse,
} from "@/lib/registrations/registrations.schema";
import { registrationStatusByToken } from "@/lib/registrations/status";
import { verifyRegistration } from "@/lib/registrations/verify";
import { publicRoute, reply, type RouteDefinition } from "./define-route";

const noStore = { "cache-control": "no-store" };

export const publicRoutes: RouteDefinition[] = [
  publicRoute(
    {
      id: "register",
      method: "POST",
      path: "/api/v1/registrations",
      tags: ["registrations"],
      summary: "Register a phone number and get a verification code by SMS",
      description:
        "Any common phone format; `country` reads national numbers. Registering a phone that is already registered answers exactly the same (no enumeration), sends a fresh code, and keeps its place.",
      body: registerBody,
      responses: { 202: { description: "Accepted: a verification code is on its way", schema: registerResponse } },
    },
    async ({ body, clientAddress, db }) => {
      const parsed = normalizePhone(body.phone, body.country);
      const ip = clientAddress === "unknown" ? null : clientAddress;
      // Rate limits, velocity and SMS budgets: one Redis round trip, before the database.
      const counts = await countRegistrationAttempt(db, getRateLimiter(), { clientAddress, ip, phone: parsed, rawPhone: body.phone });
      const result = await registerPhone(db, body, { ip, parsedPhone: parsed, counts });
      countRegistration();
      return reply(202, result, noStore);
    },
  ),
  publicRoute(
    {
      id: "verifyRegistration",
      method: "POST",
      path: "/api/v1/registrations/{id}/verify",
      tags: ["registrations"],
      summary: "Verify the phone with the SMS code; join the queue",
      params: registrationIdParams,
      body: verifyBody,
      responses: { 200: { description: "Verified", schema: verifyResponse } },
    },
    async ({ params, body, clientAddress, db }) => {
      await countVerificationAttempt(db, getRateLimiter(), { registrationId: params.id, clientAddress });
      const verified = await verifyRegistration(db, params.id, body).catch((error: unknown) => {
        // A wrong or expired code is a verification that failed; an outage is not a verification.
        if (error instanceof AppError && error.code === "validation") countVerification("rejected");
        throw error;
      });
      countVerification("verified");
      return reply(200, verified, noStore);
    },
  ),
  publicRoute(
    {
      id: "getMyRegistration",
      method: "GET",
      path: "/api/v1/registrations/me",
      tags: ["registrations"],
      summary: "My status and exact position in the queue",
      security: "statusToken",
      responses: { 200: { description: "The registration", schema: registrationStatusResponse } },
      errors: [401],
    },
    async ({ headers, clientAddress, db }) => {
      const token = bearerTokenFrom(headers);
      await getRateLimiter().consume(token ? [["statusPerIp", clientAddress], ["statusPerToken", token]] : [["statusPerIp", clientAddress]]);
      if (!token) throw new AppError("unauthenticated", "Send the statusToken from verification as `Authorization: Bearer <token>`.");
      return reply(200, await registrationStatusByToken(db, token), noStore);
    },
  ),
  publicRoute(
    {
      id: "redeemInvitation",
      method: "POST",
      path: "/api/v1/invitations/redeem",
      tags: ["invitations"],
      summary: "Redeem an invitation code with the phone it was sent to; become a member",
      body: redeemInvitationInput.meta({ id: "RedeemRequest" }),
      responses: { 200: { description: "Redeemed", schema: redeemResponse } },
      errors: [404, 409],
    },
    async ({ body, clientAddress, db }) => {
      await getRateLimiter().consume([
        ["redeemPerIp", clientAddress],
        ["redeemPerPhone", body.phone.replace(/[^\d+]/g, "")],
      ]);
      return reply(200, await redeemInvitation(db, body), noStore);
    },
  ),
  publicRoute(
    {
      id: "getMe",
      method: "GET",
      path: "/api/v1/members/me",
      tags: ["members"],
      summary: "The member, their phase, invite quota and sent invitations",
      security: "memberToken",
      responses: { 200: { description: "The member", schema: memberSummaryResponse } },
      errors: [401],
    },
    async ({ headers, clientAddress, db }) => {
      const token = bearerTokenFrom(headers);
      await getRateLimiter().consume(token ? [["memberPerIp", clientAddress], ["memberPerToken", token]] : [["memberPerIp", clientAddress]]);
      const member = await requireMember(db, token);
      return reply(200, await getMemberSummary(db, member.id), noStore);
    },
  ),
  publicRoute(
    {
      id: "inviteFriend",
      method: "POST",
      path: "/api/v1/members/me/invitations",
      tags: ["members"],
      summary: "Invite a friend by phone number (uses one invite)",
      security: "memberToken",
      body: inviteFriendInput.meta({ id: "InviteFriendRequest" }),
      responses: { 201: { description: "Invitation created and sent", schema: inviteFriendResponse } },
      errors: [401, 409],
    },
    async ({ headers, body, clientAddress, db }) => {
      const token = bearerTokenFrom(headers);
      await getRateLimiter().consume(token ? [["memberPerIp", clientAddress], ["memberInvitesPerToken", token]] : [["memberPerIp", clientAddress]]);
      const member = await requireMember(db, token);
      const { invitationId, expiresAt, inviteQuota } = await inviteFriend(db, member.id, body);
      return reply(201, { invitationId, expiresAt: expiresAt.toISOString(), inviteQuota }, noStore);
    },
  ),
];
