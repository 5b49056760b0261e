// GET /api/v1/registrations/me: what the app shows a person about their place.
import { and, count, desc, eq, isNotNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, registrations } from "@/db/schema";
import { sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { publicAdmissionEstimate } from "@/lib/stats/forecast-basis";
import { positionOf } from "./position";
import type { RegistrationStatusResponse } from "./registrations.schema";

export async function registrationStatusByToken(db: Database, statusToken: string): Promise<RegistrationStatusResponse> {
  const [registration] = await db
    .select({
      id: registrations.id,
      status: registrations.status,
      referralCode: registrations.referralCode,
      phoneCountry: registrations.phoneCountry,
      platform: registrations.platform,
    })
    .from(registrations)
    .where(eq(registrations.statusTokenHash, sha256Hex(statusToken)))
    .limit(1);
  if (!registration) throw new AppError("unauthenticated", "The status token is unknown or no longer valid. Verify your phone again.");
  return registrationStatus(db, registration);
}

/** The public view of one registration. */
export async function registrationStatus(
  db: Database,
  registration: { id: string; status: RegistrationStatusResponse["status"]; referralCode: string; phoneCountry: string; platform: string },
): Promise<RegistrationStatusResponse> {
  const [position, [referrals], [invitation]] = await Promise.all([
    registration.status === "waiting" ? positionOf(db, registration.id) : Promise.resolve(null),
    db
      .select({ n: count() })
      .from(registrations)
      .where(and(eq(registrations.referredBy, registration.id), isNotNull(registrations.verifiedAt))),
    db
      .select({ status: invitations.status, expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(eq(invitations.registrationId, registration.id))
      .orderBy(desc(invitations.createdAt))
      .limit(1),
  ]);
  return {
    registrationId: registration.id,
    status: registration.status,
    position,
    referralCode: registration.referralCode,
    referrals: referrals?.n ?? 0,
    invitation: invitation ? { status: invitation.status, expiresAt: invitation.expiresAt.toISOString() } : null,
    estimatedAdmissionAt: await publicAdmissionEstimate(db, { ...registration, position }),
  };
}
