// The screening worker's work (SPEC §3.2 rule 6). Registrations enter `screening_queue` in the
// transaction that creates them; a scheduled job claims chunks with SKIP LOCKED (several workers
// never screen one registration twice; a crash rolls the claim back), decides
// accept | hold | reject with reasons, acts on it and records the decision, all in one
// transaction. Nothing here runs in the request path.
import { and, count, eq, gt, lte, sql } from "drizzle-orm";
import { isValid as isAcceptableEmail } from "mailchecker";
import type { Database } from "@/db/client";
import {
  blockedPhones,
  policySettings,
  registrationSignals,
  registrations,
  screeningQueue,
  type PolicySettings,
  type Registration,
  type ScreeningOutcome,
} from "@/db/schema";
import { normalizePhone, phonePrefix } from "@/lib/phone/normalize-phone";
import { recordPolicyDecisions } from "./decisions";

/** Reasons that reject outright, and those that only hold the entry for a human to look at. */
const rejectReasons = new Set(["invalid_number", "not_mobile", "country_not_allowed", "blocked_prefix", "blocked_phone_hash"]);

export interface ScreeningResult {
  registrationId: string;
  outcome: ScreeningOutcome;
  reasons: string[];
}

/** Pure part: the reasons a registration trips, given the counts the database supplied. */
export function screeningReasons(
  registration: Pick<Registration, "phone" | "phoneCountry" | "email">,
  settings: Pick<PolicySettings, "allowedCountries" | "blockedPrefixes" | "velocityMaxPerIp" | "velocityMaxPerPrefix">,
  facts: { phoneHashBlocked: boolean; attemptsFromIp: number; attemptsFromPrefix: number },
): string[] {
  const reasons: string[] = [];
  const parsed = registration.phone ? normalizePhone(registration.phone) : null;
  if (parsed && !parsed.ok) reasons.push(parsed.problem === "not_mobile" ? "not_mobile" : "invalid_number");
  if (settings.allowedCountries && !settings.allowedCountries.includes(registration.phoneCountry)) reasons.push("country_not_allowed");
  if (registration.phone && settings.blockedPrefixes.some((p) => registration.phone!.startsWith(p))) reasons.push("blocked_prefix");
  if (facts.phoneHashBlocked) reasons.push("blocked_phone_hash");
  if (facts.attemptsFromIp > settings.velocityMaxPerIp) reasons.push("velocity_ip");
  if (facts.attemptsFromPrefix > settings.velocityMaxPerPrefix) reasons.push("velocity_prefix");
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

  const windowStart = new Date(registration.createdAt.getTime() - policy.velocityWindowMinutes * 60_000);
  const inWindow = and(gt(registrationSignals.createdAt, windowStart), lte(registrationSignals.createdAt, registration.createdAt));
  const parsed = registration.phone ? normalizePhone(registration.phone) : null;
  const prefix = parsed?.ok ? phonePrefix(parsed.phone, policy.velocityPrefixDigits) : null;
  const [[blocked], [fromIp], [fromPrefix]] = await Promise.all([
    tx.select({ hash: blockedPhones.phoneHash }).from(blockedPhones).where(eq(blockedPhones.phoneHash, registration.phoneHash)).limit(1),
    registration.signupIp
      ? tx.select({ n: count() }).from(registrationSignals).where(and(eq(registrationSignals.ip, registration.signupIp), inWindow))
      : Promise.resolve([{ n: 0 }]),
    prefix
      ? tx.select({ n: count() }).from(registrationSignals).where(and(eq(registrationSignals.phonePrefix, prefix), inWindow))
      : Promise.resolve([{ n: 0 }]),
  ]);
  const facts = { phoneHashBlocked: Boolean(blocked), attemptsFromIp: fromIp?.n ?? 0, attemptsFromPrefix: fromPrefix?.n ?? 0 };
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
      details: { attemptsFromIp: facts.attemptsFromIp, attemptsFromPrefix: facts.attemptsFromPrefix, windowMinutes: policy.velocityWindowMinutes },
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

