import { publicRoute } from "@/app/_server/route";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { registrationIdParams, verifyBody } from "@/lib/registrations/registrations.schema";
import { verifyRegistration } from "@/lib/registrations/verify";

export const dynamic = "force-dynamic";

/** POST /api/v1/registrations/{id}/verify → 200 {registrationId, status, position, referralCode, statusToken}. */
export const POST = publicRoute({ params: registrationIdParams, body: verifyBody }, async ({ params, body, ip, db }) => {
  await getRateLimiter().consume([
    ["verifyPerIp", ip],
    ["verifyPerRegistration", params.id],
  ]);
  const result = await verifyRegistration(db, params.id, body);
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});
