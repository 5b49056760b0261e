import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { registrationStatus } from "@/db/schema";
import { requireStaff } from "@/app/_server/require-staff";
import type { DataTableFilter } from "@/components/data-table/features";
import { formatCount, humanize } from "@/components/format";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { WaitlistTable, type WaitlistRow } from "@/app/(console)/waitlist/_components/waitlist-table";
import { countRegistrations, type RegistrationCount } from "@/lib/registrations/count-registrations";
import { listRegistrations, registrationListInput } from "@/lib/registrations/list-registrations";

export const metadata: Metadata = { title: "Waitlist" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const FILTER_KEYS = ["q", "status", "country", "platform", "review", "legacy", "sort", "dir"] as const;

function describeCount(count: RegistrationCount, status: string | undefined): string {
  const noun = status ? `${humanize(status).toLowerCase()} ${count.value === 1 ? "registration" : "registrations"}` : count.value === 1 ? "registration" : "registrations";
  return count.kind === "estimate" ? `≈ ${formatCount(count.value)} ${noun}` : `${formatCount(count.value)} ${noun}`;
}

/** Roles that see phones masked search by id, e-mail or referral code only (SPEC §3.8). */
const searchFilter = (byPhone: boolean): DataTableFilter => ({
  id: "q",
  label: "Search",
  kind: "text",
  placeholder: byPhone ? "phone, e-mail, id or referral code" : "e-mail, id or referral code",
});

const otherFilters: DataTableFilter[] = [
  { id: "status", label: "Status", kind: "select", options: registrationStatus.enumValues.map((s) => ({ value: s, label: humanize(s) })) },
  { id: "country", label: "Country", kind: "text", placeholder: "e.g. FR" },
  {
    id: "platform",
    label: "Platform",
    kind: "select",
    options: [
      { value: "android", label: "Android" },
      { value: "ios", label: "iOS" },
    ],
  },
  {
    id: "review",
    label: "Review",
    kind: "select",
    options: [
      { value: "hold", label: "On hold" },
      { value: "clear", label: "Clear" },
    ],
  },
  {
    id: "legacy",
    label: "Legacy claim",
    kind: "select",
    options: [
      { value: "yes", label: "Claimed" },
      { value: "no", label: "Not claimed" },
    ],
  },
];

export default async function WaitlistPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireStaff("view");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // A hand-edited URL with a bad value shows the unfiltered first page rather than an error.
  const parsed = registrationListInput.safeParse({ ...raw, limit: 50 });
  const input = parsed.success ? parsed.data : registrationListInput.parse({});

  const db = getDb();
  const [page, count] = await Promise.all([listRegistrations(db, actor, input), countRegistrations(db, actor, input)]);
  const byPhone = can(actor.role, "view_full_phone");

  const rows: WaitlistRow[] = page.rows.map((r) => ({
    id: r.id,
    position: r.position,
    phone: r.phone,
    email: r.email,
    phoneCountry: r.phoneCountry,
    platform: r.platform,
    status: r.status,
    priority: r.priority,
    referralPoints: r.referralPoints,
    boostPoints: r.boostPoints,
    review: r.review,
    legacyClaim: r.legacyClaim,
    queuedAt: r.queuedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));

  const exportParams = new URLSearchParams();
  for (const key of FILTER_KEYS) if (raw[key]) exportParams.set(key, raw[key]!);
  const exportHref = `/waitlist/export${exportParams.size ? `?${exportParams}` : ""}`;
  const filtered = Boolean(input.q || input.status || input.country || input.platform || input.review || input.legacy);

  return (
    <>
      <PageHeader
        title="Waitlist"
        description={
          page.order === "position"
            ? "Waiting registrations in queue order: priority first, then time in the queue. Positions are exact."
            : `Every registration, newest first. Filter on “Waiting” for the queue with exact positions; ${byPhone ? "search finds a phone in any format" : "search finds an e-mail, id or referral code"}.`
        }
      />
      {page.searchNote ? (
        <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          {page.searchNote}
        </p>
      ) : null}
      <WaitlistTable
        rows={rows}
        filters={[searchFilter(byPhone), ...otherFilters]}
        sort={{ columns: input.status === "waiting" ? ["position", "createdAt"] : ["createdAt"], by: page.order, dir: page.dir }}
        cursors={{ next: page.nextCursor, previous: page.previousCursor }}
        summary={describeCount(count, input.status)}
        exportHref={exportHref}
        emptyTitle={filtered ? "No registrations match" : "Nobody has registered yet"}
        emptyHint={filtered ? "Clear or change the filters (a phone written without +country needs the Country filter)." : "Registrations from the app appear here."}
      />
    </>
  );
}
