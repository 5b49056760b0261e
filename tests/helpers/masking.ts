// "Masked means masked everywhere" (SPEC §3.8): known phone numbers seeded in every place a
// phone can live — registrations in several states, a member and the friend it invited, a
// targeted batch's list and its failures (typed in several formats), a phase allow-list, failed
// notifications whose provider echoed the number — and the formats a leak could take.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { parsePhoneNumberWithError } from "libphonenumber-js";
import type { Database } from "../../db/client";
import type { Phase } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { createBatch } from "../../lib/batches/create-batch";
import { runBatchChunk } from "../../lib/batches/run";
import { issueInvitation } from "../../lib/invitations/issue";
import { inviteFriend } from "../../lib/members/invite-friend";
import { createMember } from "../../lib/members/create-member";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { getActivePhase } from "../../lib/phases/get-phase";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { insertRegistration, insertStaff, uniqueMobile } from "./factories";

export interface MaskingSeed {
  /** Every seeded number, E.164. */
  numbers: string[];
  /** The same, by where each was put. */
  named: Record<"allowListed" | "waiting" | "invited" | "admitted" | "targeted" | "removed" | "friend" | "unknown" | "national" | "mistyped", string>;
  registrationIds: string[];
  memberId: string;
  batchId: string;
  /** The phase holding the seeded allow-list. */
  allowListPhaseId: string;
  activePhase: Phase;
  admin: Actor;
}

/** The ways a number could leak: E.164, digits only, national and international formats, the national significant number. */
export function numberForms(e164: string): string[] {
  const parsed = parsePhoneNumberWithError(e164);
  return [...new Set([e164, e164.slice(1), parsed.formatNational(), parsed.formatNational().replace(/\D/g, ""), parsed.formatInternational(), String(parsed.nationalNumber)])];
}

/** Which seeded numbers `text` reveals, in which form (also once spaces, dots, dashes and brackets are removed). */
export function revealedNumbers(text: string, numbers: string[]): string[] {
  const compact = text.replace(/[\s.()\-\u00a0]/g, "");
  const found: string[] = [];
  for (const number of numbers) {
    for (const form of numberForms(number)) if (text.includes(form)) found.push(`${number} as "${form}"`);
    const significant = String(parsePhoneNumberWithError(number).nationalNumber);
    if (!text.includes(significant) && compact.includes(significant)) found.push(`${number} as "${significant}" with separators`);
  }
  return found;
}

/** Seeds the numbers. `tag` keeps slugs and idempotency keys unique in a shared database. */
export async function seedKnownNumbers(db: Database, tag = randomUUID().slice(0, 8)): Promise<MaskingSeed> {
  const admin = await insertStaff(db, "admin");
  const product = await insertStaff(db, "product");
  const salt = await loadPhoneHashSalt(db);
  const numbers: string[] = [];
  const person = async (overrides: Parameters<typeof insertRegistration>[1] = {}) => {
    const phone = uniqueMobile();
    numbers.push(phone);
    return insertRegistration(db, { phone, phoneHash: phoneHash(salt, phone), email: `masked-${tag}-${numbers.length}@example.com`, ...overrides });
  };
  const bare = () => {
    const phone = uniqueMobile();
    numbers.push(phone);
    return phone;
  };

  const activePhase = (await getActivePhase(db)) ?? (await activatePhase(db, product, (await createPhase(db, product, { slug: `masking-${tag}`, name: `Masking ${tag}`, kind: "closed", memberInviteQuota: 2 })).id));
  // A draft phase of its own for the allow-list (activating it would close someone else's).
  const allowListed = bare();
  const allowListPhase = await createPhase(db, product, { slug: `allow-${tag}`, name: `Allow ${tag}`, kind: "internal", allowedPhones: [allowListed, bare()] });

  const waiting = await person();
  const invited = await person();
  const admitted = await person({ status: "admitted" });
  const targeted = await person();
  const removed = await person({ status: "removed" });

  await db.transaction(async (tx) => issueInvitation(tx, { registration: invited, phase: activePhase, source: "staff" }));
  const { member } = await db.transaction(async (tx) => createMember(tx, { registrationId: admitted.id, phase: { ...activePhase, memberInviteQuota: Math.max(activePhase.memberInviteQuota, 1) } }));
  const friend = bare();
  const { invitationId: friendInvitationId } = await inviteFriend(db, member.id, { phone: friend });
  const [friendRow] = await db.execute<{ id: string }>(sql`select registration_id as id from invitations where id = ${friendInvitationId}`);

  // A targeted batch: a waiting person by number (invited), an invited one (not waiting), a
  // number nobody registered (not found), a national number without its country (invalid), a
  // mistyped one (invalid), and a registration id.
  const unknown = bare();
  const national = bare();
  const mistyped = bare();
  const nationalTyped = parsePhoneNumberWithError(national).formatNational();
  const created = await createBatch(
    db,
    admin,
    { kind: "targeted", phones: [targeted.phone!, invited.phone!, unknown, nationalTyped, `${mistyped.slice(0, -1)}x`, waiting.id] },
    `masking-${tag}`,
  );
  if (created.dryRun) throw new Error("expected a batch");
  for (;;) {
    const { done } = await runBatchChunk(db, created.batch.id, { chunkSize: 100 });
    if (done) break;
  }

  // Providers echo the number in their errors ("The 'To' number +33… is not valid").
  await db.execute(sql`
    update notifications set status = 'failed', failed_at = now(), attempts = 5,
      last_error = 'provider answered 400: the To number ' || recipient || ' is not a valid mobile number'
    where registration_id in (${invited.id}, ${waiting.id}) or recipient = ${friend}`);

  return {
    numbers,
    named: {
      allowListed,
      waiting: waiting.phone!,
      invited: invited.phone!,
      admitted: admitted.phone!,
      targeted: targeted.phone!,
      removed: removed.phone!,
      friend,
      unknown,
      national,
      mistyped,
    },
    registrationIds: [waiting.id, invited.id, admitted.id, targeted.id, removed.id, friendRow!.id],
    memberId: member.id,
    batchId: created.batch.id,
    allowListPhaseId: allowListPhase.id,
    activePhase,
    admin,
  };
}
