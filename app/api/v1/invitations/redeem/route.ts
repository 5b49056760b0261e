import { publicRoute } from "@/app/_server/route";
import { redeemInvitation, redeemInvitationInput } from "@/lib/invitations/redeem";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";

export const dynamic = "force-dynamic";

/** POST /api/v1/invitations/redeem {code, phone} → 200 {memberId, memberToken, phase, inviteQuota}. */
export const POST = publicRoute({ body: redeemInvitationInput }, async ({ body, ip, db }) => {
  await getRateLimiter().consume([
    ["redeemPerIp", ip],
    ["redeemPerPhone", body.phone.replace(/[^\d+]/g, "")],
  ]);
  const result = await redeemInvitation(db, body);
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});
