// The public registration API's input and output shapes (SPEC §5). One source for the route
// handlers, the OpenAPI document and the tests.
import { z } from "zod";
import "zod-openapi";
import { locale, platform, registrationStatus } from "@/db/schema";
import { country } from "@/lib/validation/fields";

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const registerBody = z
  .object({
    phone: z
      .string()
      .min(1, "is required")
      .max(40)
      .meta({ description: "Mobile number in any common format; E.164 or national with `country`.", example: "+33 6 12 34 56 78" }),
    country: optional(country().meta({ description: "Country of a national-format number (ISO 3166 alpha-2).", example: "FR" })),
    email: optional(z.email().max(254)),
    platform: z.enum(platform.enumValues),
    locale: optional(z.enum(locale.enumValues).meta({ description: "Language of messages; default en." })),
    referralCode: optional(
      z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z-]{1,32}$/, "must be a referral code (letters and digits)")
        .meta({ description: "A friend's referral code." }),
    ),
    legacyAccountId: optional(
      z
        .union([z.string().max(200), z.number()])
        .meta({ description: "Accepted and recorded, but it changes nothing: the old service's accounts carry no advantage." }),
    ),
  })
  // Unknown keys are kept, not refused: any other legacy claim (e.g. `legacyUserId`) is
  // recorded and ignored like legacyAccountId.
  .loose()
  .meta({ id: "RegisterRequest" });
/** What registerPhone takes: the parsed body (optional fields may be absent). */
export type RegisterBody = {
  [K in keyof z.output<typeof registerBody>]?: z.output<typeof registerBody>[K];
} & Pick<z.output<typeof registerBody>, "phone" | "platform">;

export const registerResponse = z
  .object({
    registrationId: z.uuid(),
    status: z.literal("pending_verification"),
    verificationExpiresAt: z.iso.datetime(),
  })
  .meta({ id: "RegisterResponse" });
export type RegisterResponse = z.infer<typeof registerResponse>;

export const registrationIdParams = z.object({
  id: z.uuid("must be a registration id (uuid)").meta({ description: "The registrationId returned at registration." }),
});

export const verifyBody = z
  .object({ code: z.string().trim().regex(/^\d{6}$/, "must be the 6-digit code from the SMS") })
  .meta({ id: "VerifyRequest" });
export type VerifyBody = z.output<typeof verifyBody>;

const status = z.enum(registrationStatus.enumValues);
const position = z
  .number()
  .int()
  .min(1)
  .nullable()
  .meta({ description: "1-based rank among waiting registrations; null unless status is waiting." });

const estimatedAdmissionAt = z.iso
  .datetime()
  .nullable()
  .meta({
    description:
      "An estimate, not a promise: when this place should get its invitation at the admission pace of the last 7 days, bounded by the active phase's daily cap, capacity and end. Null unless status is waiting, or when there is no basis (no active phase, no admissions lately, beyond the phase's capacity or end, or not eligible for the active phase).",
    example: "2026-12-14T09:30:00.000Z",
  });

export const verifyResponse = z
  .object({
    registrationId: z.uuid(),
    status,
    position,
    referralCode: z.string(),
    estimatedAdmissionAt,
    statusToken: z.string().meta({ description: "Bearer token for GET /api/v1/registrations/me. Shown once." }),
    memberToken: z
      .string()
      .optional()
      .meta({ description: "Only when an `open` phase admitted the person at verification: bearer token for /api/v1/members/me. Shown once." }),
  })
  .meta({ id: "VerifyResponse" });
export type VerifyResponse = z.infer<typeof verifyResponse>;

export const registrationStatusResponse = z
  .object({
    registrationId: z.uuid(),
    status,
    position,
    referralCode: z.string(),
    referrals: z.number().int().min(0).meta({ description: "Verified registrations referred by this one." }),
    invitation: z
      .object({ status: z.enum(["pending", "sent", "redeemed", "expired", "revoked"]), expiresAt: z.iso.datetime() })
      .nullable(),
    estimatedAdmissionAt,
  })
  .meta({ id: "RegistrationStatus" });
export type RegistrationStatusResponse = z.infer<typeof registrationStatusResponse>;
