import { publicRoute } from "@/app/_server/route";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { registerPhone } from "@/lib/registrations/register";
import { registerBody } from "@/lib/registrations/registrations.schema";

export const dynamic = "force-dynamic";

/** POST /api/v1/registrations → 202 {registrationId, status: "pending_verification", verificationExpiresAt}. */
export const POST = publicRoute({ body: registerBody }, async ({ body, ip, db }) => {
  const parsed = normalizePhone(body.phone, body.country);
  const phoneKey = parsed.ok ? parsed.phone.e164 : body.phone.replace(/\D/g, "");
  await getRateLimiter().consume([
    ["registerPerIp", ip],
    ["registerPerPhone", phoneKey],
  ]);
  const result = await registerPhone(db, body, { ip: ip === "unknown" ? null : ip, parsedPhone: parsed });
  return Response.json(result, { status: 202, headers: { "cache-control": "no-store" } });
});
