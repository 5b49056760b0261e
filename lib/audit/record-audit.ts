import { auditEvents } from "@/db/schema";
import type { Database } from "@/db/client";
import { maskPhonesInText } from "@/lib/auth/mask-input";
import { type Actor, actorLabel, maskPhone } from "@/lib/auth/roles";

const PHONE = /^\+[1-9]\d{6,14}$/;

/**
 * Masks every E.164-looking string in a value, and numbers quoted inside text (a provider's
 * error, a note), so audit rows never hold full phones.
 */
export function maskPhones(value: unknown): unknown {
  if (typeof value === "string") return PHONE.test(value) ? maskPhone(value) : maskPhonesInText(value);
  if (Array.isArray(value)) return value.map(maskPhones);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPhones(v)]));
  }
  return value;
}

export interface AuditInput {
  /** null for the system (schedulers, sweeps). */
  actor: Actor | null;
  /** Dotted verb, e.g. "registration.remove", "phase.activate". */
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  /** The request's id when there is no actor to carry it (e.g. a refused sign-in). */
  requestId?: string;
}

/** Writes one audit row. Call it with the transaction that makes the change. */
export async function recordAudit(tx: Database, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: input.actor?.staffId ?? null,
    actorLabel: input.actor ? actorLabel(input.actor) : "system",
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    before: input.before === undefined ? null : maskPhones(input.before),
    after: input.after === undefined ? null : maskPhones(input.after),
    requestId: input.actor?.requestId ?? input.requestId ?? null,
  });
}
