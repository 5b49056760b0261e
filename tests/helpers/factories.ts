// Rows for tests that need data in a given state without walking the whole public flow.
import { randomBytes, randomUUID } from "node:crypto";
import type { Database } from "../../db/client";
import {
  invitations,
  phases,
  registrations,
  staffUsers,
  type Invitation,
  type InvitationStatus,
  type Member,
  type NewPhase,
  type NewRegistration,
  type Phase,
  type Registration,
  type StaffRole,
} from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { createMember } from "../../lib/members/create-member";

let mobileCounter = 0;
const mobileBase = Math.floor(Math.random() * 10_000_000);
/**
 * The one test phone: a French mobile libphonenumber accepts (+33 61…: metropolitan mobile
 * throughout; other 6x ranges include unassigned and overseas ones), unique within a process
 * (a stride of 7 walks all ten million before it repeats) and unlikely to meet another
 * process's (a random start).
 */
export function uniqueMobile(): string {
  mobileCounter += 1;
  return `+3361${String((mobileBase + mobileCounter * 7) % 10_000_000).padStart(7, "0")}`;
}

export async function insertRegistration(db: Database, overrides: Partial<NewRegistration> = {}): Promise<Registration> {
  const phone = overrides.phone ?? uniqueMobile();
  const status = overrides.status ?? "waiting";
  const [row] = await db
    .insert(registrations)
    .values({
      phone,
      phoneHash: `test:${phone}`,
      phoneCountry: "FR",
      platform: "android",
      referralCode: `T${randomBytes(5).toString("hex").toUpperCase()}`,
      status,
      queuedAt: status === "pending_verification" ? null : new Date(),
      verifiedAt: status === "pending_verification" ? null : new Date(),
      ...overrides,
    })
    .returning();
  return row!;
}

export async function insertPhase(db: Database, overrides: Partial<NewPhase> = {}): Promise<Phase> {
  const slug = overrides.slug ?? `phase-${randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(phases)
    .values({ slug, name: slug, kind: "closed", ...overrides })
    .returning();
  return row!;
}

/** A staff row and the Actor that lib functions take for it. */
export async function insertStaff(db: Database, role: StaffRole, email?: string): Promise<Actor> {
  const [row] = await db
    .insert(staffUsers)
    .values({ email: email ?? `${role}-${randomUUID().slice(0, 8)}@test.local`, role })
    .returning();
  return { staffId: row!.id, email: row!.email, role: row!.role, via: { kind: "session" }, requestId: `test-${randomUUID()}` };
}

const registrationStatusOf: Record<InvitationStatus, NewRegistration["status"]> = {
  pending: "invited",
  sent: "invited",
  redeemed: "admitted",
  expired: "expired",
  revoked: "waiting",
};

/** An invitation in `status`, issued at `createdAt` (default now), to a registration of its own unless given. */
export async function insertInvitation(
  db: Database,
  options: { phaseId: string; status: InvitationStatus; createdAt?: Date; registrationId?: string },
): Promise<Invitation> {
  const createdAt = options.createdAt ?? new Date();
  const registrationId = options.registrationId ?? (await insertRegistration(db, { status: registrationStatusOf[options.status] })).id;
  const [row] = await db
    .insert(invitations)
    .values({
      registrationId,
      phaseId: options.phaseId,
      source: "batch",
      status: options.status,
      codeHash: randomBytes(16).toString("hex"),
      expiresAt: new Date(createdAt.getTime() + 3 * 86_400_000),
      createdAt,
    })
    .returning();
  return row!;
}

/**
 * A member admitted in `phase` at `admittedAt` (topped up to its quota, with the ledger row),
 * through a redeemed invitation an hour earlier unless `direct` (as an open phase admits).
 */
export async function insertMember(db: Database, phase: Phase, options: { admittedAt?: Date; direct?: boolean } = {}): Promise<Member> {
  const admittedAt = options.admittedAt ?? new Date();
  const registration = await insertRegistration(db, { status: "admitted" });
  if (!options.direct) {
    await insertInvitation(db, { phaseId: phase.id, status: "redeemed", createdAt: new Date(admittedAt.getTime() - 3_600_000), registrationId: registration.id });
  }
  return db.transaction(async (tx) => (await createMember(tx, { registrationId: registration.id, phase, now: admittedAt })).member);
}
