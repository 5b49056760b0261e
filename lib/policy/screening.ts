// The screening worker's work (SPEC §3.2 rule 6). Registrations enter `screening_queue` in the
// transaction that creates them; a scheduled job claims chunks with SKIP LOCKED (several workers
// never screen one registration twice; a crash rolls the claim back), decides
// accept | hold | reject with reasons, acts on it and records the decision, all in one
// transaction. Nothing here runs in the request path.
//
// The request path already judged what needs no worker before it sent (or withheld) the code
// (SPEC §3.2 rule 7, sms-spending-rules.ts). The worker stays consistent with it: the number
// rules (country, blocked range) are the same functions, re-applied to the current policy; the
// counted ones (velocity, a held prefix) are taken from the request's own `sms_withheld`
// decision rather than recounted with other windows; and it adds what only a worker checks
// (disposable e-mail, a phone blocked since).
import { and, count, eq, sql } from "drizzle-orm";
import { isValid as isAcceptableEmail } from "mailchecker";
import type { Database } from "@/db/client";
import {
  blockedPhones,
  policyDecisions,
  policySettings,
  registrations,
  screeningQueue,
  type PolicySettings,
  type Registration,
  type ScreeningOutcome,
} from "@/db/schema";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { recordPolicyDecisions } from "./decisions";
import { isCountryAllowed, isInBlockedRange } from "./sms-spending-rules";

/** Reasons that reject outright, and those that only hold the entry for a human to look at. */
const rejectReasons = new Set(["invalid_number", "not_mobile", "country_not_allowed", "blocked_prefix", "blocked_phone_hash"]);

export interface ScreeningResult {
  registrationId: string;
  outcome: ScreeningOutcome;
  reasons: string[];
}

/** Request-path reasons the worker takes over as they were decided (counted, not recomputable). */
const inheritedReasons = new Set(["velocity_ip", "velocity_prefix", "prefix_held"]);

/** Pure part: the reasons a registration trips, given the facts the database supplied. */
export function screeningReasons(
  registration: Pick<Registration, "phone" | "phoneCountry" | "email">,
  settings: Pick<PolicySettings, "allowedCountries" | "blockedPrefixes">,
  facts: { phoneHashBlocked: boolean; requestReasons: string[] },
): string[] {
  const reasons: string[] = [];
  const parsed = registration.phone ? normalizePhone(registration.phone) : null;
  if (parsed && !parsed.ok) reasons.push(parsed.problem === "not_mobile" ? "not_mobile" : "invalid_number");
  if (!isCountryAllowed(settings, registration.phoneCountry)) reasons.push("country_not_allowed");
  if (registration.phone && isInBlockedRange(settings, registration.phone)) reasons.push("blocked_prefix");
  if (facts.phoneHashBlocked) reasons.push("blocked_phone_hash");
  for (const reason of facts.requestReasons) if (inheritedReasons.has(reason) && !reasons.includes(reason)) reasons.push(reason);
  if (registration.email && !isAcceptableEmail(registration.email)) reasons.push("disposable_email");
  return reasons;
}

export function screeningOutcome(reasons: string[]): ScreeningOutcome {
  if (reasons.some((r) => rejectReasons.has(r))) return "reject";
  return reasons.length > 0 ? "hold" : "accept";
}

/** Screens one registration (inside the caller's transaction) and acts on the outcome. */
export async function screenRegistration(tx: Database, registrationId: string, settings?: PolicySettings): Promise<ScreeningResult | null> {
  const policy = settings ?? (await tx.select().from(policySettings).where(eq(policySettings.id, 1)))[0]!;
  const [registration] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for("update");
  if (!registration || registration.erasedAt) return null;

  const [[blocked], withheld] = await Promise.all([
    tx.select({ hash: blockedPhones.phoneHash }).from(blockedPhones).where(eq(blockedPhones.phoneHash, registration.phoneHash)).limit(1),
    tx
      .select({ reasons: policyDecisions.reasons })
      .from(policyDecisions)
      .where(and(eq(policyDecisions.registrationId, registrationId), eq(policyDecisions.kind, "sms_withheld"))),
  ]);
  const facts = { phoneHashBlocked: Boolean(blocked), requestReasons: withheld.flatMap((d) => d.reasons) };
  const reasons = screeningReasons(registration, policy, facts);
  const outcome = screeningOutcome(reasons);

  if (outcome === "reject" && (registration.status === "pending_verification" || registration.status === "waiting")) {
    // Out of the queue, code voided. `removed` (not `blocked`): staff can reactivate a false
    // positive, and the person may try again once the policy changes.
    await tx
      .update(registrations)
      .set({
        status: "removed",
        statusReason: `screening: ${reasons.join(", ")}`,
        statusChangedAt: new Date(),
        verificationCodeHash: null,
        statusTokenHash: null,
      })
      .where(eq(registrations.id, registrationId));
  } else if (outcome !== "accept") {
    // hold (or a reject of an entry already past the queue): out of every batch until cleared.
    await tx.update(registrations).set({ review: "hold" }).where(eq(registrations.id, registrationId));
  }
  await recordPolicyDecisions(tx, [
    {
      registrationId,
      kind: "screening",
      outcome,
      reasons,
      details: facts.requestReasons.length > 0 ? { decidedBeforeSending: facts.requestReasons } : undefined,
    },
  ]);
  return { registrationId, outcome, reasons };
}

/**
 * Claims up to `limit` queued registrations (SKIP LOCKED: concurrent workers take disjoint
 * chunks), screens them, and removes them from the queue in the same transaction.
 */
export async function screenQueuedRegistrations(db: Database, options: { limit?: number } = {}): Promise<ScreeningResult[]> {
  const limit = options.limit ?? 500;
  return db.transaction(async (tx) => {
    const claimed = await tx.execute(sql`
      delete from screening_queue where registration_id in (
        select registration_id from screening_queue order by enqueued_at limit ${limit} for update skip locked)
      returning registration_id`);
    const ids = (claimed as unknown as { registration_id: string }[]).map((r) => r.registration_id);
    if (ids.length === 0) return [];
    const [settings] = await tx.select().from(policySettings).where(eq(policySettings.id, 1));
    const results: ScreeningResult[] = [];
    for (const id of ids) {
      const result = await screenRegistration(tx, id, settings);
      if (result) results.push(result);
    }
    return results;
  });
}

/** Drains the screening queue chunk by chunk (the scheduled job's body). */
export async function screenAllQueued(db: Database, options: { chunk?: number; maxChunks?: number } = {}): Promise<number> {
  let total = 0;
  for (let i = 0; i < (options.maxChunks ?? 20); i++) {
    const results = await screenQueuedRegistrations(db, { limit: options.chunk ?? 500 });
    total += results.length;
    if (results.length < (options.chunk ?? 500)) break;
  }
  return total;
}

/** How many registrations wait for screening (for the queues page). */
export async function screeningBacklog(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(screeningQueue);
  return row?.n ?? 0;
}

