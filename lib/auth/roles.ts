import type { StaffRole } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** What staff may do, SPEC §3.8. Checked in every server action, route handler and lib entry point. */
export type Permission =
  | "view"
  | "view_full_phone"
  | "manage_batches"
  | "manage_registration"
  | "manage_phases"
  | "manage_policy"
  | "manage_staff"
  | "manage_webhooks";

const matrix: Record<Permission, readonly StaffRole[]> = {
  view: ["admin", "growth", "support", "product"],
  view_full_phone: ["admin", "growth", "support"],
  // create/cancel batches, grant member quota, boost priority
  manage_batches: ["admin", "growth"],
  // resend/revoke invitation, reactivate, remove, hold/clear, block one registration
  manage_registration: ["admin", "growth", "support"],
  manage_phases: ["admin", "product"],
  // registration policy, staff accounts, API tokens
  manage_policy: ["admin"],
  manage_staff: ["admin"],
  // outbound webhook endpoints: where the app's back end hears about admissions (SPEC §6)
  manage_webhooks: ["admin"],
};

export function can(role: StaffRole, permission: Permission): boolean {
  return matrix[permission].includes(role);
}

/** The acting staff member, as every lib entry point that mutates receives it. */
export interface Actor {
  staffId: string;
  email: string;
  role: StaffRole;
  /** How they came in: console session or an API token (its prefix). */
  via: { kind: "session" } | { kind: "token"; prefix: string };
  requestId?: string;
}

export function actorLabel(actor: Actor): string {
  return actor.via.kind === "token" ? `${actor.email} (token ${actor.via.prefix})` : actor.email;
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", `The ${actor.role} role may not do this (${permission.replaceAll("_", " ")}).`);
  }
}

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  if (phone.length <= 6) return "•".repeat(phone.length);
  return `${phone.slice(0, 4)}${"•".repeat(phone.length - 6)}${phone.slice(-2)}`;
}

/** A phone as this role may see it. */
export function phoneForRole(role: StaffRole, phone: string | null): string | null {
  return can(role, "view_full_phone") ? phone : maskPhone(phone);
}
