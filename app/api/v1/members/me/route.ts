import { publicRoute } from "@/app/_server/route";
import { bearerToken } from "@/lib/http/request";
import { requireMember } from "@/lib/members/member-auth";
import { getMemberSummary } from "@/lib/members/members";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";

export const dynamic = "force-dynamic";

/** GET /api/v1/members/me with the member bearer → 200 {memberId, phase, inviteQuota, invitations}. */
export const GET = publicRoute({}, async ({ request, ip, db }) => {
  const token = bearerToken(request);
  await getRateLimiter().consume(token ? [["memberPerIp", ip], ["memberPerToken", token]] : [["memberPerIp", ip]]);
  const member = await requireMember(db, token);
  const summary = await getMemberSummary(db, member.id);
  return Response.json(summary, { headers: { "cache-control": "no-store" } });
});
