// One registration as the console's detail page explains it: where it stands and WHY (priority
// made of referral points and staff boosts, hold, eligibility for the active phase), and a
// timeline of everything that happened to it (registration, verification, policy decisions,
// invitations, notifications, staff actions). Read-only; phones follow the actor's role.
import { and, count, desc, eq, isNotNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  auditEvents,
  invitations,
  members,
  notifications,
  phases,
  registrations,
  type Phase,
  type Registration,
} from "@/db/schema";
import { textForRole } from "@/lib/auth/mask-input";
import { type Actor, assertCan, phoneForRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { isEligibleForPhase } from "@/lib/phases/admission";
import { getActivePhase } from "@/lib/phases/get-phase";
import { listPolicyDecisions } from "@/lib/policy/decisions";
import { getPolicySettings } from "@/lib/policy/get-policy-settings";
import { positionOf } from "./position";
import { isSmsBudgetWithheld } from "./release-sms-budget";

export interface StaffBoost {
  points: number;
  reason: string | null;
  category: string | null;
  by: string;
  at: Date;
}

export interface PhaseEligibility {
  phase: Pick<Phase, "id" | "name" | "slug" | "kind" | "countries" | "platforms">;
  eligible: boolean;
  /** One line per rule of the phase, e.g. "Country FR is allowed (FR, BE)". */
  checks: { rule: string; ok: boolean; detail: string }[];
}

export type TimelineTone = "neutral" | "good" | "warn" | "bad" | "info";

export interface TimelineItem {
  at: Date;
  kind: "registration" | "decision" | "invitation" | "notification" | "staff" | "member";
  title: string;
  detail: string | null;
  tone: TimelineTone;
  /** A status to show as a badge (invitation or notification state). */
  status?: string;
}

function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** "2026-11-25 18:10 UTC": readable, and the same for every viewer. */
function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

async function eligibilityFor(db: Database, phase: Phase | null, registration: Registration): Promise<PhaseEligibility | null> {
  if (!phase) return null;
  const checks: PhaseEligibility["checks"] = [];
  if (phase.countries?.length) {
    const ok = phase.countries.includes(registration.phoneCountry);
    checks.push({ rule: "Country", ok, detail: `${registration.phoneCountry} ${ok ? "is" : "is not"} among ${phase.countries.join(", ")}` });
  } else {
    checks.push({ rule: "Country", ok: true, detail: "every country" });
  }
  if (phase.platforms?.length) {
    const ok = (phase.platforms as string[]).includes(registration.platform);
    checks.push({ rule: "Platform", ok, detail: `${registration.platform} ${ok ? "is" : "is not"} among ${phase.platforms.join(", ")}` });
  } else {
    checks.push({ rule: "Platform", ok: true, detail: "every platform" });
  }
  const eligible = await isEligibleForPhase(db, phase, registration);
  if (phase.kind === "internal") {
    // The verdict includes the allow-list; country and platform passed if the verdict fails only here.
    const allowListed = eligible || checks.every((c) => c.ok) ? eligible : null;
    checks.push({
      rule: "Employee allow-list",
      ok: allowListed ?? false,
      detail: allowListed === null ? "not checked (another rule fails)" : allowListed ? "the phone is allow-listed" : "the phone is not on the internal phase's allow-list",
    });
  }
  return { phase: { id: phase.id, name: phase.name, slug: phase.slug, kind: phase.kind, countries: phase.countries, platforms: phase.platforms }, eligible, checks };
}

export async function getRegistrationDetail(db: Database, actor: Actor, registrationId: string) {
  assertCan(actor, "view");
  const [registration] = await db.select().from(registrations).where(eq(registrations.id, registrationId)).limit(1);
  if (!registration) throw new AppError("not_found", "No such registration.");

  const [position, policy, [referrals], activePhase, sentInvitations, sentNotifications, decisions, staffEvents, [member]] = await Promise.all([
    registration.status === "waiting" ? positionOf(db, registrationId) : Promise.resolve(null),
    getPolicySettings(db),
    db
      .select({ n: count() })
      .from(registrations)
      .where(and(eq(registrations.referredBy, registrationId), isNotNull(registrations.verifiedAt))),
    getActivePhase(db),
    db
      .select({ invitation: invitations, phaseName: phases.name })
      .from(invitations)
      .innerJoin(phases, eq(phases.id, invitations.phaseId))
      .where(eq(invitations.registrationId, registrationId))
      .orderBy(desc(invitations.createdAt))
      .limit(100),
    db.select().from(notifications).where(eq(notifications.registrationId, registrationId)).orderBy(desc(notifications.createdAt)).limit(200),
    listPolicyDecisions(db, { registrationId, limit: 200 }),
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetType, "registration"), eq(auditEvents.targetId, registrationId)))
      .orderBy(desc(auditEvents.createdAt))
      .limit(200),
    db.select().from(members).where(eq(members.registrationId, registrationId)).limit(1),
  ]);

  const boosts: StaffBoost[] = staffEvents
    .filter((e) => e.action === "registration.boost")
    .map((e) => {
      const after = objectOf(e.after);
      return { points: Number(after.points ?? 0), reason: text(after.reason), category: text(after.category), by: e.actorLabel, at: e.createdAt };
    });

  const verifiedReferrals = referrals?.n ?? 0;
  const timeline: TimelineItem[] = [
    { at: registration.createdAt, kind: "registration", title: "Registered", detail: `${registration.platform}, ${registration.phoneCountry}, locale ${registration.locale}${registration.legacyClaim ? " — claimed a legacy account (ignored)" : ""}`, tone: "neutral" },
  ];
  if (registration.verifiedAt) {
    timeline.push({ at: registration.verifiedAt, kind: "registration", title: "Phone verified", detail: registration.queuedAt ? "joined the queue" : null, tone: "good" });
  }
  for (const d of decisions) {
    const title =
      d.kind === "screening"
        ? `Screening: ${d.outcome ?? "—"}`
        : d.kind === "sms_budget"
          ? "No code sent: SMS budget"
          : d.kind === "sms_withheld"
            ? "No code sent"
            : `Policy: ${d.kind.replaceAll("_", " ")}`;
    timeline.push({
      at: d.createdAt,
      kind: "decision",
      title,
      detail: d.reasons.length ? d.reasons.join(", ").replaceAll("_", " ") : null,
      tone: d.outcome === "reject" ? "bad" : d.outcome === "hold" || d.kind.startsWith("sms_") ? "warn" : d.outcome === "accept" ? "good" : "info",
    });
  }
  for (const { invitation, phaseName } of sentInvitations) {
    timeline.push({
      at: invitation.createdAt,
      kind: "invitation",
      title: `Invitation (${invitation.source}) to ${phaseName}`,
      detail: `${invitation.expiresAt < new Date() ? "expired" : "expires"} ${utc(invitation.expiresAt)}`,
      tone: "info",
      status: invitation.status,
    });
    if (invitation.redeemedAt) timeline.push({ at: invitation.redeemedAt, kind: "invitation", title: "Invitation redeemed", detail: phaseName, tone: "good" });
  }
  for (const n of sentNotifications) {
    timeline.push({
      at: n.createdAt,
      kind: "notification",
      title: `${n.kind.replaceAll("_", " ")} by ${n.channel}`,
      detail: [n.sentAt ? `sent ${utc(n.sentAt)}` : null, n.attempts > 1 ? `${n.attempts} attempts` : null, textForRole(actor.role, n.lastError)].filter(Boolean).join(" · ") || null,
      tone: n.status === "failed" ? "bad" : n.status === "unknown" ? "warn" : "neutral",
      status: n.status,
    });
  }
  for (const e of staffEvents) {
    const after = objectOf(e.after);
    const reason = text(after.reason);
    const detail =
      e.action === "registration.boost"
        ? `${Number(after.points) > 0 ? "+" : ""}${String(after.points)} points (${String(after.category)})${reason ? ` — ${reason}` : ""}`
        : textForRole(actor.role, reason ?? text(after.statusReason));
    timeline.push({ at: e.createdAt, kind: "staff", title: `${e.action} by ${e.actorLabel}`, detail, tone: e.action.endsWith("block") || e.action.endsWith("remove") ? "bad" : "info" });
  }
  if (member) timeline.push({ at: member.admittedAt, kind: "member", title: "Admitted as a member", detail: `invite balance ${member.inviteQuota}`, tone: "good" });
  timeline.sort((a, b) => b.at.getTime() - a.at.getTime());

  const live = sentInvitations.find((i) => i.invitation.status === "pending" || i.invitation.status === "sent");
  return {
    registration: {
      id: registration.id,
      phone: phoneForRole(actor.role, registration.phone),
      phoneCountry: registration.phoneCountry,
      email: registration.email,
      platform: registration.platform,
      locale: registration.locale,
      status: registration.status,
      // Typed by staff: it may quote a number.
      statusReason: textForRole(actor.role, registration.statusReason),
      review: registration.review,
      legacyClaim: registration.legacyClaim,
      referralCode: registration.referralCode,
      referredBy: registration.referredBy,
      queuedAt: registration.queuedAt,
      createdAt: registration.createdAt,
      verifiedAt: registration.verifiedAt,
      erasedAt: registration.erasedAt,
    },
    position,
    priority: {
      total: registration.priority,
      referralPoints: registration.referralPoints,
      verifiedReferrals,
      referralBoost: policy.referralBoost,
      referralBoostCap: policy.referralBoostCap,
      boostPoints: registration.boostPoints,
      boosts,
    },
    eligibility: await eligibilityFor(db, activePhase, registration),
    /** Its last code request was refused for an SMS budget and nothing was sent since: staff may release it. */
    smsBudgetWithheld: decisions.some((d) => d.kind === "sms_budget") ? await isSmsBudgetWithheld(db, registration.id) : false,
    liveInvitation: live ? { id: live.invitation.id, status: live.invitation.status, expiresAt: live.invitation.expiresAt, phaseName: live.phaseName } : null,
    member: member ? { id: member.id, inviteQuota: member.inviteQuota, admittedAt: member.admittedAt } : null,
    timeline,
  };
}

export type RegistrationDetail = Awaited<ReturnType<typeof getRegistrationDetail>>;
