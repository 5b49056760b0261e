import { publicRoute } from "@/app/_server/route";
import { AppError } from "@/lib/errors";
import { bearerToken } from "@/lib/http/request";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { registrationStatusByToken } from "@/lib/registrations/status";

export const dynamic = "force-dynamic";

/** GET /api/v1/registrations/me with `Authorization: Bearer <statusToken>`. */
export const GET = publicRoute({}, async ({ request, ip, db }) => {
  const token = bearerToken(request);
  await getRateLimiter().consume(token ? [["statusPerIp", ip], ["statusPerToken", token]] : [["statusPerIp", ip]]);
  if (!token) throw new AppError("unauthenticated", "Send the statusToken from verification as `Authorization: Bearer <token>`.");
  const result = await registrationStatusByToken(db, token);
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});
