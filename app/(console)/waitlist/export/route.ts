// GET /waitlist/export?<the Waitlist page's filters> — the filtered set as a streamed CSV.
// Session-authorized like the pages (view permission; phones as the role may see them), and
// audited: who exported which filter.
import { getDb } from "@/db/client";
import { sessionStaffId } from "@/app/_server/auth";
import { actorForStaffId } from "@/app/_server/staff-actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, maskPhone } from "@/lib/auth/roles";
import { csvResponse, type CsvColumn } from "@/lib/csv";
import { AppError } from "@/lib/errors";
import { errorToProblem, zodErrorProblem } from "@/lib/http/problem";
import { requestIdFrom } from "@/lib/http/request";
import { iterateRegistrations, registrationListInput, type RegistrationListRow } from "@/lib/registrations/list-registrations";

export const dynamic = "force-dynamic";

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

export async function GET(request: Request): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  try {
    const db = getDb();
    const staffId = await sessionStaffId();
    const actor = staffId ? await actorForStaffId(db, staffId, requestId) : null;
    if (!actor) throw new AppError("unauthenticated", "Sign in to export.");
    assertCan(actor, "view");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    // The whole filtered set, in the page's order: paging cursors do not apply.
    const parsed = registrationListInput.omit({ after: true, before: true, limit: true }).safeParse(params);
    if (!parsed.success) return zodErrorProblem(parsed.error, requestId, "query");
    // A searched phone may be written in any format: mask it whatever it looks like.
    const filters = { ...parsed.data, q: parsed.data.q ? maskPhone(parsed.data.q) : undefined };
    await recordAudit(db, { actor, action: "registration.export", targetType: "registration", targetId: null, after: { format: "csv", filters } });
    return csvResponse("waitlist", columns, iterateRegistrations(db, actor, parsed.data, 1000));
  } catch (error) {
    return errorToProblem(error, requestId);
  }
}
