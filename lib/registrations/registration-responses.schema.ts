// What the admin API answers about registrations (SPEC §3.1, §6): phones always as the caller's
// role may see them. The OpenAPI document is generated from these, and the handlers shape their
// answers through them — so a column such as a hash or a sign-up address never reaches a client.
import { z } from "zod";
import { invitationStatus, locale, phaseKind, platform, registrationStatus, review } from "@/db/schema";

const isoTime = z.iso.datetime();
const phone = z.string().nullable().meta({ description: "E.164, masked for roles that may not see full numbers; null once erased" });

export const registrationListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        phone,
        phoneCountry: z.string(),
        email: z.string().nullable(),
        platform: z.enum(platform.enumValues),
        status: z.enum(registrationStatus.enumValues),
        priority: z.number().int(),
        referralPoints: z.number().int(),
        boostPoints: z.number().int(),
        review: z.enum(review.enumValues),
        legacyClaim: z.boolean(),
        referralCode: z.string(),
        queuedAt: isoTime.nullable(),
        createdAt: isoTime,
        position: z.number().int().min(1).nullable(),
      }),
    ),
    order: z.enum(["position", "createdAt"]),
    dir: z.enum(["asc", "desc"]),
    nextCursor: z.uuid().nullable(),
    searchNote: z.string().nullable(),
  })
  .meta({ id: "RegistrationList" });

/** A registration after a staff operation (remove, hold, clear, block, boost). */
export const staffRegistrationSchema = z
  .object({
    id: z.uuid(),
    phone,
    phoneCountry: z.string(),
    platform: z.enum(platform.enumValues),
    locale: z.enum(locale.enumValues),
    status: z.enum(registrationStatus.enumValues),
    statusReason: z.string().nullable(),
    review: z.enum(review.enumValues),
    priority: z.number().int(),
    referralPoints: z.number().int(),
    boostPoints: z.number().int(),
    queuedAt: isoTime.nullable(),
    statusChangedAt: isoTime,
  })
  .meta({ id: "StaffRegistration" });

export const registrationStatusChangeSchema = z
  .object({ status: z.enum(registrationStatus.enumValues) })
  .meta({ id: "RegistrationStatusChange", description: "The registration's status after the change" });

export const resentInvitationSchema = z
  .object({ invitationId: z.uuid(), status: z.enum(invitationStatus.enumValues), expiresAt: isoTime })
  .meta({ id: "ResentInvitation" });

const timelineItem = z.object({
  at: isoTime,
  kind: z.enum(["registration", "decision", "invitation", "notification", "staff", "member"]),
  title: z.string(),
  detail: z.string().nullable(),
  tone: z.enum(["neutral", "good", "warn", "bad", "info"]),
  status: z.string().optional(),
});

export const registrationDetailSchema = z
  .object({
    registration: z.object({
      id: z.uuid(),
      phone,
      phoneCountry: z.string(),
      email: z.string().nullable(),
      platform: z.enum(platform.enumValues),
      locale: z.enum(locale.enumValues),
      status: z.enum(registrationStatus.enumValues),
      statusReason: z.string().nullable(),
      review: z.enum(review.enumValues),
      legacyClaim: z.boolean(),
      referralCode: z.string(),
      referredBy: z.uuid().nullable(),
      queuedAt: isoTime.nullable(),
      createdAt: isoTime,
      verifiedAt: isoTime.nullable(),
      erasedAt: isoTime.nullable(),
    }),
    position: z.number().int().min(1).nullable(),
    priority: z.object({
      total: z.number().int(),
      referralPoints: z.number().int(),
      verifiedReferrals: z.number().int(),
      referralBoost: z.number().int(),
      referralBoostCap: z.number().int(),
      boostPoints: z.number().int(),
      boosts: z.array(z.object({ points: z.number().int(), reason: z.string().nullable(), category: z.string().nullable(), by: z.string(), at: isoTime })),
    }),
    eligibility: z
      .object({
        phase: z.object({
          id: z.uuid(),
          name: z.string(),
          slug: z.string(),
          kind: z.enum(phaseKind.enumValues),
          countries: z.array(z.string()).nullable(),
          platforms: z.array(z.enum(platform.enumValues)).nullable(),
        }),
        eligible: z.boolean(),
        checks: z.array(z.object({ rule: z.string(), ok: z.boolean(), detail: z.string() })),
      })
      .nullable(),
    liveInvitation: z.object({ id: z.uuid(), status: z.enum(invitationStatus.enumValues), expiresAt: isoTime, phaseName: z.string() }).nullable(),
    member: z.object({ id: z.uuid(), inviteQuota: z.number().int(), admittedAt: isoTime }).nullable(),
    timeline: z.array(timelineItem),
  })
  .meta({ id: "RegistrationDetail" });
