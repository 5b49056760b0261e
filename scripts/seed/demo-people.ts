// The ~5,000 people of the demo data set, generated in memory (deterministic PRNG) with every
// status of SPEC §3.1 and the facts each status implies, then written by ./demo.ts.
import { randomUUID } from "node:crypto";
import type { NewRegistration, RegistrationStatus } from "@/db/schema";
import { phoneHash } from "@/lib/phone-hash";
import { seedPhone } from "./phones";

/** Demo phones come from a seed-index range far above what bulk seeds use first. */
const DEMO_SEED_INDEX = 40_000_000;
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** mulberry32: a small deterministic PRNG, so every demo looks the same. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type DemoFate = "internal_member" | "member" | "invited" | "expired" | "waiting" | "held" | "removed" | "blocked" | "lapsed" | "pending";

export interface DemoPerson {
  row: NewRegistration & { id: string; createdAt: Date };
  fate: DemoFate;
  /** When the status last changed: admission, invitation, expiry, removal… */
  changedAt: Date;
}

/** How many people meet each fate (5,000 in all). */
const FATES: [DemoFate, number][] = [
  ["internal_member", 24],
  ["member", 310],
  ["invited", 160],
  ["expired", 70],
  ["held", 35],
  ["removed", 30],
  ["blocked", 6],
  ["lapsed", 90],
  ["pending", 40],
  ["waiting", 4235],
];

const STATUS_OF: Record<DemoFate, RegistrationStatus> = {
  internal_member: "admitted",
  member: "admitted",
  invited: "invited",
  expired: "expired",
  waiting: "waiting",
  held: "waiting",
  removed: "removed",
  blocked: "blocked",
  lapsed: "lapsed",
  pending: "pending_verification",
};

const REMOVAL_REASONS = ["duplicate account", "asked to leave", "spam reports"];
const BLOCK_REASONS = ["SMS pumping", "abusive referrals"];

/**
 * Builds the people: registration times over the last 120 days (busiest at launch), referral
 * points backed by verified referrals, lapsed/removed ones past retention erased.
 */
export function buildDemoPeople(salt: string, now: Date, random = prng(20_261_125)): DemoPerson[] {
  const fates = FATES.flatMap(([fate, n]) => Array<DemoFate>(n).fill(fate));
  for (let i = fates.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [fates[i], fates[j]] = [fates[j]!, fates[i]!];
  }
  const start = now.getTime() - 120 * DAY;
  const people = fates.map((fate, i): DemoPerson => {
    const { phone, country, locale } = seedPhone(DEMO_SEED_INDEX + i);
    // Employees registered first; everyone else over a launch-heavy curve.
    let x = fate === "internal_member" ? random() * 0.05 : Math.pow((i + random()) / fates.length, 1.6);
    // Invited, expired and admitted people queued early enough for their invitation's story.
    if (fate === "member" || fate === "invited" || fate === "expired") x = Math.min(x, 0.85);
    let createdAt = new Date(start + x * 118 * DAY);
    if (fate === "pending") createdAt = new Date(now.getTime() - random() * 25 * 60_000);
    const verified = fate !== "pending" && fate !== "lapsed";
    const queuedAt = verified ? new Date(createdAt.getTime() + 30_000 + random() * 600_000) : null;
    const changedAt = changeTime(fate, createdAt, queuedAt, now, random);
    const erased = (fate === "lapsed" || fate === "removed") && changedAt.getTime() < now.getTime() - 30 * DAY;
    const row: DemoPerson["row"] = {
      id: randomUUID(),
      phone: erased ? null : phone,
      phoneHash: phoneHash(salt, phone),
      phoneCountry: country,
      email: !erased && random() < 0.4 ? `${["sam", "alex", "lou", "mei", "ravi", "ana", "tom", "ines"][i % 8]}.${i}@example.com` : null,
      platform: random() < 0.36 ? "ios" : "android",
      locale: random() < 0.85 ? locale : "en",
      status: STATUS_OF[fate],
      queuedAt,
      createdAt,
      verifiedAt: queuedAt,
      statusChangedAt: changedAt,
      referralCode: `D${(DEMO_SEED_INDEX + i).toString(36).toUpperCase()}`,
      legacyClaim: random() < 0.03,
      review: fate === "held" ? "hold" : "clear",
      statusReason:
        fate === "removed" ? REMOVAL_REASONS[i % REMOVAL_REASONS.length]! : fate === "blocked" ? BLOCK_REASONS[i % BLOCK_REASONS.length]! : null,
      verificationCodeHash: fate === "pending" ? phoneHash(salt, `code:${i}`) : null,
      verificationExpiresAt: fate === "pending" ? new Date(createdAt.getTime() + 30 * 60_000) : null,
      erasedAt: erased ? new Date(changedAt.getTime() + 30 * DAY) : null,
    };
    return { row, fate, changedAt };
  });
  people.sort((a, b) => a.row.createdAt.getTime() - b.row.createdAt.getTime());
  assignReferrals(people, random);
  return people;
}

function changeTime(fate: DemoFate, createdAt: Date, queuedAt: Date | null, now: Date, random: () => number): Date {
  const since = (from: number) => new Date(from + random() * (now.getTime() - from));
  const queued = queuedAt?.getTime() ?? createdAt.getTime();
  switch (fate) {
    case "internal_member":
      return new Date(Math.max(queued, now.getTime() - 60 * DAY) + random() * 20 * DAY);
    case "member":
      return since(Math.max(queued, now.getTime() - 29 * DAY));
    case "invited":
      return since(Math.max(queued, now.getTime() - 70 * HOUR));
    case "expired":
      return new Date(Math.min(Math.max(queued + 73 * HOUR, now.getTime() - 20 * DAY) + random() * 10 * DAY, now.getTime() - HOUR));
    case "removed":
    case "blocked":
      return since(queued);
    case "lapsed":
      return new Date(createdAt.getTime() + 30 * 60_000);
    default:
      return new Date(queued);
  }
}

/**
 * About 8 % of verified people refer others who registered later; each verified referral is
 * worth one point (the default referralBoost), capped at 10 (referralBoostCap).
 */
function assignReferrals(people: DemoPerson[], random: () => number): void {
  const verified = people.filter((p) => p.row.verifiedAt);
  const referrers = verified.filter(() => random() < 0.08);
  for (const referrer of referrers) {
    const wanted = random() < 0.15 ? 6 + Math.floor(random() * 8) : 1 + Math.floor(random() * 3);
    let found = 0;
    for (const candidate of verified) {
      if (found >= wanted) break;
      if (candidate.row.referredBy || candidate === referrer) continue;
      if (candidate.row.createdAt <= referrer.row.verifiedAt!) continue;
      if (random() < 0.97) continue;
      candidate.row.referredBy = referrer.row.id;
      found += 1;
    }
    referrer.row.referralPoints = Math.min(10, found);
  }
}
