// The waitlist CSV (apart from the route so tests can call it without a next-auth session):
// the page's filtered set, phones as the role may see them, and an audit row of who exported
// which filter.
import type { Database } from "@/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, maskPhone } from "@/lib/auth/roles";
import { type CsvColumn, csvResponse } from "@/lib/csv";
import { iterateRegistrations, registrationListInput, type RegistrationListRow } from "@/lib/registrations/list-registrations";
import type { z } from "zod";

/** The page's filters, without paging: the export is the whole filtered set, in the page's order. */
export const waitlistExportQuery = registrationListInput.omit({ after: true, before: true, limit: true });

const columns: CsvColumn<RegistrationListRow>[] = [
  { header: "id", value: (r) => r.id },
  { header: "status", value: (r) => r.status },
  { header: "position", value: (r) => r.position },
  { header: "phone", value: (r) => r.phone },
  { header: "country", value: (r) => r.phoneCountry },
  { header: "email", value: (r) => r.email },
  { header: "platform", value: (r) => r.platform },
  { header: "priority", value: (r) => r.priority },
  { header: "referral_points", value: (r) => r.referralPoints },
  { header: "boost_points", value: (r) => r.boostPoints },
  { header: "review", value: (r) => r.review },
  { header: "legacy_claim", value: (r) => r.legacyClaim },
  { header: "referral_code", value: (r) => r.referralCode },
  { header: "queued_at", value: (r) => r.queuedAt },
  { header: "created_at", value: (r) => r.createdAt },
];

export async function waitlistCsvResponse(db: Database, actor: Actor, query: z.output<typeof waitlistExportQuery>, pageSize = 1_000): Promise<Response> {
  // A searched phone may be written in any format: mask it whatever it looks like.
  const filters = { ...query, q: query.q ? maskPhone(query.q) : undefined };
  await recordAudit(db, { actor, action: "registration.export", targetType: "registration", targetId: null, after: { format: "csv", filters } });
  return csvResponse("waitlist", columns, iterateRegistrations(db, actor, query, pageSize));
}
