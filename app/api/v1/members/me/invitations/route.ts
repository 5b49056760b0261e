import { publicRoute } from "@/app/_server/route";
import { bearerToken } from "@/lib/http/request";
import { inviteFriend, inviteFriendInput } from "@/lib/members/invite-friend";
import { requireMember } from "@/lib/members/member-auth";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/members/me/invitations {phone, country?} with the member bearer →
 * 201 {invitationId, expiresAt, inviteQuota}; 409 `…/quota-exhausted` when no invite is left.
 */
export const POST = publicRoute({ body: inviteFriendInput }, async ({ request, body, ip, db }) => {
  const token = bearerToken(request);
  await getRateLimiter().consume(token ? [["memberPerIp", ip], ["memberInvitesPerToken", token]] : [["memberPerIp", ip]]);
  const member = await requireMember(db, token);
  const { invitationId, expiresAt, inviteQuota } = await inviteFriend(db, member.id, body);
  return Response.json({ invitationId, expiresAt: expiresAt.toISOString(), inviteQuota }, { status: 201, headers: { "cache-control": "no-store" } });
});
