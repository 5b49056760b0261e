// Rows for tests that need data in a given state without walking the whole public flow.
import { randomBytes, randomUUID } from "node:crypto";
import type { Database } from "../../db/client";
import {
  phases,
  registrations,
  staffUsers,
  type NewPhase,
  type NewRegistration,
  type Phase,
  type Registration,
  type StaffRole,
} from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";

let sequence = 0;

/**
 * A unique French mobile number libphonenumber accepts as FR mobile: the +33 61 range is
 * metropolitan mobile throughout (other 6x ranges include overseas territories).
 */
export function uniqueMobile(): string {
  sequence += 1;
  const n = (Number.parseInt(randomBytes(3).toString("hex"), 16) * 97 + sequence) % 10_000_000;
  return `+3361${String(n).padStart(7, "0")}`;
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
