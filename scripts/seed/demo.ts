// The demo data set of `npm start -- --demo`: three phases (an internal one that is over, the
// active closed wave, a draft open beta), ~5,000 registrations in every status (held and
// legacy-claim ones included), members with their quota ledgers, a finished admit batch with
// its counters, delivered notifications (a few failed or unknown) and audit history.
// Plain inserts that keep the schema's invariants (see the seed tests).
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  auditEvents,
  batches,
  blockedPhones,
  invitations,
  members,
  notifications,
  phaseAllowedPhones,
  phases,
  policyDecisions,
  quotaLedger,
  registrations,
  staffUsers,
  type NewNotification,
} from "@/db/schema";
import { maskPhones } from "@/lib/audit/record-audit";
import { sha256Hex } from "@/lib/crypto";
import { loadPhoneHashSalt } from "@/lib/phone-hash";
import { buildDemoPeople, DAY, HOUR, prng, type DemoPerson } from "./demo-people";

export interface DemoSummary {
  registrations: number;
  members: number;
  invitations: number;
  phases: number;
}

/** Inserts rows in slices (one statement per slice keeps parameters under PostgreSQL's limit). */
async function insertAll<T>(rows: T[], insert: (slice: T[]) => Promise<unknown>, size = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const token = () => sha256Hex(randomBytes(16).toString("hex"));

/** Loads the demo data set. Refuses a database that already has registrations. */
export async function loadDemoData(db: Database, now = new Date()): Promise<DemoSummary> {
  const random = prng(7);
  const salt = await loadPhoneHashSalt(db);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(registrations);
    if (existing!.n > 0) throw new Error("The demo data set only loads into an empty database (registrations exist).");

    // Staff who ran the beta so far (no passwords: they only appear in history).
    await tx
      .insert(staffUsers)
      .values([
        { email: "grace.growth@gatehouse.local", name: "Grace (growth)", role: "growth" },
        { email: "sam.support@gatehouse.local", name: "Sam (support)", role: "support" },
        { email: "priya.product@gatehouse.local", name: "Priya (product)", role: "product" },
      ])
      .onConflictDoNothing();
    const demoStaff = await tx.select().from(staffUsers).where(sql`lower(email) like '%@gatehouse.local'`);
    const staffWithRole = (role: string) => demoStaff.find((s) => s.role === role && s.email !== "admin@gatehouse.local")!;
    const [growth, support, product] = [staffWithRole("growth"), staffWithRole("support"), staffWithRole("product")];

    const [internal, wave, openBeta] = await tx
      .insert(phases)
      .values([
        { slug: "staff-dogfood", name: "Staff dogfood", kind: "internal", status: "closed", memberInviteQuota: 0, capacity: 100,
          startsAt: new Date(now.getTime() - 62 * DAY), activatedAt: new Date(now.getTime() - 62 * DAY), closedAt: new Date(now.getTime() - 30 * DAY), createdAt: new Date(now.getTime() - 70 * DAY) },
        { slug: "wave-1", name: "Closed wave 1", kind: "closed", status: "active", capacity: 2_000, dailyAdmissionCap: 300, memberInviteQuota: 2,
          invitationTtlHours: 72, expiredPlacement: "original", autoReactivateExpired: false, countries: null,
          startsAt: new Date(now.getTime() - 30 * DAY), activatedAt: new Date(now.getTime() - 30 * DAY), createdAt: new Date(now.getTime() - 40 * DAY) },
        { slug: "open-beta", name: "Open beta", kind: "open", status: "draft", capacity: 50_000, memberInviteQuota: 5,
          startsAt: new Date(now.getTime() + 30 * DAY), createdAt: new Date(now.getTime() - 3 * DAY) },
      ])
      .returning();

    const people = buildDemoPeople(salt, now, random);
    await insertAll(people, (slice) => tx.insert(registrations).values(slice.map((p) => p.row)));
    const employees = people.filter((p) => p.fate === "internal_member");
    await tx.insert(phaseAllowedPhones).values(employees.map((p) => ({ phaseId: internal!.id, phone: p.row.phone!, note: "employee" })));

    // The finished admit batch that invited wave 1's batch invitations.
    const invitedByBatch = people.filter((p) => ["member", "invited", "expired"].includes(p.fate));
    const batchAt = new Date(now.getTime() - 29 * DAY);
    const [batch] = await tx
      .insert(batches)
      .values({
        kind: "admit_next", params: { size: invitedByBatch.length, filters: {} }, status: "completed", phaseId: wave!.id,
        requested: invitedByBatch.length, selected: invitedByBatch.length, invited: invitedByBatch.length, notified: invitedByBatch.length,
        failed: 0, createdBy: growth.id, idempotencyKey: "demo-wave-1-first-batch", requestHash: token(),
        createdAt: batchAt, startedAt: batchAt, finishedAt: new Date(batchAt.getTime() + 40_000),
      })
      .returning();

    // Invitations: live for invited, expired for expired, redeemed for members.
    const invitationRows = [...invitedByBatch, ...employees].map((p) => invitationFor(p, p.fate === "internal_member" ? internal!.id : wave!.id, batch!.id));
    await insertAll(invitationRows, (slice) => tx.insert(invitations).values(slice));

    // Members and their ledgers: the phase top-up at admission, some grants, some invites sent.
    const memberPeople = people.filter((p) => p.fate === "member" || p.fate === "internal_member");
    const memberRows = memberPeople.map((p) => ({
      id: randomUUID(), registrationId: p.row.id, phaseId: p.fate === "internal_member" ? internal!.id : wave!.id,
      admittedAt: p.changedAt, inviteQuota: 0, tokenHash: token(),
    }));
    const ledger: (typeof quotaLedger.$inferInsert)[] = [];
    for (const member of memberRows) {
      const entries: [number, "phase_topup" | "grant" | "adjustment"][] = [[2, "phase_topup"]];
      if (random() < 0.15) entries.push([3, "grant"]);
      if (random() < 0.05) entries.push([-1, "adjustment"]);
      entries.forEach(([delta, reason], i) => {
        ledger.push({ memberId: member.id, delta, reason, actor: reason === "grant" ? `staff:${growth.id}` : "system",
          batchId: null, createdAt: new Date(member.admittedAt.getTime() + i * HOUR) });
        member.inviteQuota += delta;
      });
    }
    await insertAll(memberRows, (slice) => tx.insert(members).values(slice));
    await insertAll(ledger, (slice) => tx.insert(quotaLedger).values(slice));

    await insertAll(decisionsFor(people), (slice) => tx.insert(policyDecisions).values(slice));
    const blocked = people.filter((p) => p.fate === "blocked");
    await tx.insert(blockedPhones).values(blocked.map((p) => ({ phoneHash: p.row.phoneHash, reason: p.row.statusReason!, registrationId: p.row.id, createdBy: support.id, createdAt: p.changedAt })));

    const sent = notificationsFor(people, invitationRows, now, random);
    await insertAll(sent, (slice) => tx.insert(notifications).values(slice));

    const audit = [
      { actor: product, action: "phase.create", targetType: "phase", targetId: internal!.id, after: { slug: "staff-dogfood" }, at: internal!.createdAt },
      { actor: product, action: "phase.activate", targetType: "phase", targetId: internal!.id, after: { status: "active" }, at: internal!.activatedAt! },
      { actor: product, action: "phase.create", targetType: "phase", targetId: wave!.id, after: { slug: "wave-1" }, at: wave!.createdAt },
      { actor: product, action: "phase.activate", targetType: "phase", targetId: wave!.id, after: { status: "active", closedPrevious: ["staff-dogfood"] }, at: wave!.activatedAt! },
      { actor: product, action: "phase.create", targetType: "phase", targetId: openBeta!.id, after: { slug: "open-beta" }, at: openBeta!.createdAt },
      { actor: growth, action: "batch.create", targetType: "batch", targetId: batch!.id, after: { kind: "admit_next", size: invitedByBatch.length }, at: batchAt },
      ...people.filter((p) => p.fate === "removed" || p.fate === "blocked").map((p) => ({
        actor: support, action: p.fate === "removed" ? "registration.remove" : "registration.block", targetType: "registration",
        targetId: p.row.id, after: { status: p.row.status, reason: p.row.statusReason, phone: p.row.phone }, at: p.changedAt,
      })),
    ];
    await tx.insert(auditEvents).values(audit.map((a) => ({
      actorId: a.actor.id, actorLabel: a.actor.email, action: a.action, targetType: a.targetType, targetId: a.targetId,
      before: null, after: maskPhones(a.after), requestId: `demo-${randomUUID()}`, createdAt: a.at,
    })));

    return { registrations: people.length, members: memberRows.length, invitations: invitationRows.length, phases: 3 };
  });
}

function invitationFor(p: DemoPerson, phaseId: string, batchId: string): typeof invitations.$inferInsert {
  const base = { id: randomUUID(), registrationId: p.row.id, phaseId, codeHash: token() };
  if (p.fate === "invited") {
    return { ...base, source: "batch", batchId, status: "sent", createdAt: p.changedAt, sentAt: new Date(p.changedAt.getTime() + 4_000), expiresAt: new Date(p.changedAt.getTime() + 72 * HOUR) };
  }
  if (p.fate === "expired") {
    const createdAt = new Date(p.changedAt.getTime() - 72 * HOUR);
    return { ...base, source: "batch", batchId, status: "expired", createdAt, sentAt: new Date(createdAt.getTime() + 4_000), expiresAt: p.changedAt };
  }
  // Members: redeemed some hours after the invitation (employees were invited by staff).
  const createdAt = new Date(Math.max(p.row.queuedAt!.getTime(), p.changedAt.getTime() - 20 * HOUR));
  const internal = p.fate === "internal_member";
  return {
    ...base, source: internal ? "staff" : "batch", batchId: internal ? null : batchId, status: "redeemed", createdAt,
    sentAt: new Date(createdAt.getTime() + 4_000), redeemedAt: p.changedAt, expiresAt: new Date(createdAt.getTime() + 72 * HOUR),
  };
}

function decisionsFor(people: DemoPerson[]): (typeof policyDecisions.$inferInsert)[] {
  const rows: (typeof policyDecisions.$inferInsert)[] = [];
  for (const p of people) {
    const at = new Date(p.row.createdAt.getTime() + 5_000);
    if (p.row.legacyClaim) rows.push({ registrationId: p.row.id, kind: "legacy_claim_ignored", details: { legacyAccountId: `old-${p.row.referralCode}` }, createdAt: at });
    if (p.fate === "held") rows.push({ registrationId: p.row.id, kind: "screening", outcome: "hold", reasons: ["velocity_prefix"], createdAt: at });
    else if (p.fate === "blocked") rows.push({ registrationId: p.row.id, kind: "screening", outcome: "reject", reasons: ["blocked_prefix"], createdAt: at });
    else if (p.fate !== "pending") rows.push({ registrationId: p.row.id, kind: "screening", outcome: "accept", reasons: [], createdAt: at });
    if (p.fate === "lapsed") rows.push({ registrationId: p.row.id, kind: "lapsed", createdAt: p.changedAt });
    if (p.row.erasedAt) rows.push({ registrationId: p.row.id, kind: "personal_data_erased", createdAt: p.row.erasedAt });
  }
  return rows;
}

function notificationsFor(
  people: DemoPerson[],
  invitationRows: (typeof invitations.$inferInsert)[],
  now: Date,
  random: () => number,
): NewNotification[] {
  const byId = new Map(people.map((p) => [p.row.id, p]));
  const rows: NewNotification[] = [];
  for (const p of people) {
    if (!p.row.phone) continue;
    const failed = p.fate === "pending" && random() < 0.1;
    rows.push({
      kind: "verification_code", channel: "sms", status: failed ? "failed" : "sent", registrationId: p.row.id, recipient: p.row.phone,
      locale: p.row.locale, attempts: failed ? 5 : 1, lastError: failed ? "provider answered 400: unroutable number" : null,
      createdAt: p.row.createdAt, sentAt: failed ? null : new Date(p.row.createdAt.getTime() + 2_000), failedAt: failed ? new Date(p.row.createdAt.getTime() + 60_000) : null,
      updatedAt: new Date(p.row.createdAt.getTime() + 2_000),
    });
  }
  for (const [i, inv] of invitationRows.entries()) {
    const p = byId.get(inv.registrationId)!;
    const unknown = i === 3;
    rows.push({
      kind: "invitation", channel: "sms", status: unknown ? "unknown" : "sent", registrationId: p.row.id, invitationId: inv.id,
      recipient: p.row.phone ?? "+0", locale: p.row.locale, params: { phase: inv.phaseId, expiresAt: inv.expiresAt }, attempts: 1,
      lastError: unknown ? "worker stopped during the provider call" : null, createdAt: inv.createdAt, claimedAt: inv.createdAt,
      sentAt: unknown ? null : inv.sentAt, updatedAt: inv.sentAt ?? now,
    });
  }
  return rows;
}
