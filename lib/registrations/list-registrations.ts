// The console's Waitlist table (and its CSV export): registrations one keyset page at a time,
// never OFFSET, on the only two orders the table has indexes for:
//   queue order   (status = waiting): priority DESC, queued_at, id — registrations_queue_idx
//   creation time (any status):       created_at, id                — registrations_created_at_idx
// Searches go through exact indexes (id, phone_hash, lower(email), referral_code). Other filters
// (country, platform, review, legacy claim) are applied while walking one of those indexes.
//
// Positions are exact and cost one or two position lookups per page, not one per row: in queue
// order the rows of a page are consecutive in the queue unless a filter skipped people, so the
// first row's position + index is every row's position (and when a filter did skip people, the
// skipped ones are counted from the queue index between the page's first and last row).
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { platform, registrationStatus, review, type Platform, type RegistrationStatus, type Review, type StaffRole } from "@/db/schema";
import { type Actor, assertCan, can, phoneForRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { iteratePages, toKeysetPage } from "@/lib/keyset";
import { loadPhoneHashSalt, phoneHash } from "@/lib/phone-hash";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { allOf } from "@/lib/sql";
import { country, isUuid } from "@/lib/validation/fields";
import { normalizeReferralCode } from "@/lib/registrations/codes";
import { positionOf } from "@/lib/registrations/position";

export const registrationListInput = z.object({
  status: z.enum(registrationStatus.enumValues).optional(),
  /** ISO alpha-2 of the phone; also the hint for searching a phone written without its country code. */
  country: country().optional(),
  platform: z.enum(platform.enumValues).optional(),
  review: z.enum(review.enumValues).optional(),
  legacy: z.enum(["yes", "no"]).optional(),
  /** A phone in any format, an e-mail address, a registration id or a referral code. */
  q: z.string().trim().min(1).max(100).optional(),
  /** `position` is the queue order and needs status = waiting; otherwise creation time. */
  sort: z.enum(["position", "createdAt"]).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  /** Id of the last row of the previous page (`after`) or the first row of the next one (`before`). */
  after: z.uuid().optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type RegistrationListInput = z.input<typeof registrationListInput>;
export type ParsedInput = z.output<typeof registrationListInput>;

export type RegistrationOrder = "position" | "createdAt";

export interface RegistrationListRow {
  id: string;
  /** As the actor may see it (masked for product); null once erased. */
  phone: string | null;
  phoneCountry: string;
  email: string | null;
  platform: Platform;
  status: RegistrationStatus;
  priority: number;
  referralPoints: number;
  boostPoints: number;
  review: Review;
  legacyClaim: boolean;
  referralCode: string;
  queuedAt: Date | null;
  createdAt: Date;
  /** Exact queue position; only on queue-ordered pages (null elsewhere and for non-waiting rows). */
  position: number | null;
}

export interface RegistrationListPage {
  rows: RegistrationListRow[];
  order: RegistrationOrder;
  dir: "asc" | "desc";
  nextCursor: string | null;
  previousCursor: string | null;
  /** Why a search matched nothing before reaching the database (e.g. not a valid phone). */
  searchNote: string | null;
}

const PHONE_LIKE = /^[+(]?[\d\s().\-/]{6,}$/;

/** The order a page is read in: position only for waiting rows (the queue index covers no others). */
export function resolveOrder(input: Pick<ParsedInput, "status" | "sort" | "dir" | "q">): { order: RegistrationOrder; dir: "asc" | "desc" } {
  const order: RegistrationOrder = input.status === "waiting" && input.sort !== "createdAt" ? "position" : "createdAt";
  return { order, dir: input.dir ?? (order === "position" ? "asc" : "desc") };
}

/** What a role without full-phone access is told when its search looks like a phone. */
export const PHONE_SEARCH_REFUSED = "Your role searches by registration id, e-mail or referral code, not by phone number.";

/**
 * The search term as an indexed condition, or a note saying why nothing can match. Roles that
 * see phones masked never search by phone, whole or partial (SPEC §3.8): a search that matches
 * a number would reveal the number behind a masked one, digit by digit. Anything else they type is
 * an id, an e-mail address or a referral code, each matched exactly.
 */
async function searchCondition(db: Database, q: string, country: string | undefined, role: StaffRole): Promise<SQL | string> {
  if (isUuid(q)) return sql`r.id = ${q.toLowerCase()}`;
  if (q.includes("@")) return sql`lower(r.email) = ${q.toLowerCase()}`;
  // A leading + is a phone's (or a masked phone's) and never a referral code's.
  if ((PHONE_LIKE.test(q) || q.startsWith("+")) && !can(role, "view_full_phone")) return PHONE_SEARCH_REFUSED;
  if (PHONE_LIKE.test(q)) {
    const parsed = normalizePhone(q, country);
    if (!parsed.ok) {
      return parsed.problem === "unparseable" && !country
        ? "Not a phone number we can read without its country: add the country code (+33 …) or pick a country filter."
        : `Not a searchable phone number: ${parsed.message}`;
    }
    // The hash index finds every registration of the phone, including lapsed, removed and erased ones.
    const salt = await loadPhoneHashSalt(db);
    return sql`r.phone_hash = ${phoneHash(salt, parsed.phone.e164)}`;
  }
  return sql`r.referral_code = ${normalizeReferralCode(q)}`;
}

/** Every filter of the input as SQL over `registrations r`; a string when nothing can match. */
export async function filterConditions(db: Database, input: ParsedInput, role: StaffRole): Promise<SQL[] | string> {
  const conditions: SQL[] = [];
  if (input.q) {
    const search = await searchCondition(db, input.q, input.country, role);
    if (typeof search === "string") return search;
    conditions.push(search);
  }
  if (input.status) conditions.push(sql`r.status = ${input.status}`);
  if (input.country) conditions.push(sql`r.phone_country = ${input.country}`);
  if (input.platform) conditions.push(sql`r.platform = ${input.platform}`);
  if (input.review) conditions.push(sql`r.review = ${input.review}`);
  if (input.legacy) conditions.push(sql`r.legacy_claim = ${input.legacy === "yes"}`);
  return conditions;
}

/** Filters that make a queue page skip people (anything beyond status = waiting). */
export function skipsPeople(input: ParsedInput): boolean {
  return Boolean(input.q || input.country || input.platform || input.review || input.legacy);
}

const COLUMNS = sql.raw(`r.id, r.phone, r.phone_country, r.email, r.platform, r.status, r.priority, r.referral_points,
  r.boost_points, r.review, r.legacy_claim, r.referral_code, r.queued_at, r.created_at`);

type RawRow = {
  id: string;
  phone: string | null;
  phone_country: string;
  email: string | null;
  platform: Platform;
  status: RegistrationStatus;
  priority: number;
  referral_points: number;
  boost_points: number;
  review: Review;
  legacy_claim: boolean;
  referral_code: string;
  queued_at: string | Date | null;
  created_at: string | Date;
};

/** The key of a cursor row, with timestamps as text so no microsecond is lost on the way. */
interface CursorKey {
  id: string;
  priority: number;
  queuedAt: string | null;
  createdAt: string;
}

async function cursorKey(db: Database, id: string): Promise<CursorKey> {
  const rows = await db.execute<{ priority: number; queued_at: string | null; created_at: string }>(
    sql`select priority, queued_at::text as queued_at, created_at::text as created_at from registrations where id = ${id}`,
  );
  const row = rows[0];
  if (!row) throw new AppError("validation", "The page cursor points at no registration.", { fieldErrors: [{ path: "after", message: "unknown cursor" }] });
  return { id, priority: Number(row.priority), queuedAt: row.queued_at, createdAt: row.created_at };
}

/**
 * Queue order, reading `towardsBack` (front to back) or towards the front, strictly beyond
 * `cursor`. A row comparison cannot mix the index's DESC priority with ASC queued_at, so the
 * keyset is two index range scans: the rest of the cursor's priority level, then the levels
 * beyond it. Each branch stops at `limit` rows.
 */
function queueQuery(source: SQL, filters: SQL[], cursor: CursorKey | null, towardsBack: boolean, limit: number): SQL {
  const where = allOf(filters);
  const order = towardsBack ? sql`r.priority desc, r.queued_at asc, r.id asc` : sql`r.priority asc, r.queued_at desc, r.id desc`;
  if (!cursor) return sql`select ${COLUMNS} from ${source} r where ${where} order by ${order} limit ${limit}`;
  const queuedAt = sql`${cursor.queuedAt}::timestamptz`;
  const sameLevel = towardsBack
    ? sql`r.priority = ${cursor.priority} and (r.queued_at, r.id) > (${queuedAt}, ${cursor.id}::uuid)`
    : sql`r.priority = ${cursor.priority} and (r.queued_at, r.id) < (${queuedAt}, ${cursor.id}::uuid)`;
  const otherLevels = towardsBack ? sql`r.priority < ${cursor.priority}` : sql`r.priority > ${cursor.priority}`;
  const outer = towardsBack ? sql`priority desc, queued_at asc, id asc` : sql`priority asc, queued_at desc, id desc`;
  return sql`select * from (
      (select ${COLUMNS} from ${source} r where ${where} and ${sameLevel} order by ${order} limit ${limit})
      union all
      (select ${COLUMNS} from ${source} r where ${where} and ${otherLevels} order by ${order} limit ${limit})
    ) page order by ${outer} limit ${limit}`;
}

/**
 * Creation order, strictly beyond `cursor`. Written as `created_at <= x and (created_at < x or
 * id < y)` so the single-column created_at index starts the scan at the cursor.
 */
function createdQuery(source: SQL, filters: SQL[], cursor: CursorKey | null, newestFirst: boolean, limit: number): SQL {
  const conditions = [...filters];
  if (cursor) {
    const at = sql`${cursor.createdAt}::timestamptz`;
    conditions.push(
      newestFirst
        ? sql`r.created_at <= ${at} and (r.created_at < ${at} or r.id < ${cursor.id}::uuid)`
        : sql`r.created_at >= ${at} and (r.created_at > ${at} or r.id > ${cursor.id}::uuid)`,
    );
  }
  const order = newestFirst ? sql`r.created_at desc, r.id desc` : sql`r.created_at asc, r.id asc`;
  return sql`select ${COLUMNS} from ${source} r where ${allOf(conditions)} order by ${order} limit ${limit}`;
}

/** Most people skipped between a filtered page's first and last row that we rank by walking the index. */
const SPAN_WALK_LIMIT = 50_000;

/**
 * Exact positions of a queue-ordered page (rows front to back). Unfiltered: consecutive from the
 * first row's position. Filtered: the first and last positions bound the span; a short span is
 * ranked by one index-only walk, a long one (a rare filter) by one lookup per row.
 */
async function queuePositions(db: Database, rows: RawRow[], filtered: boolean): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  if (rows.length === 0) return positions;
  const first = rows[0]!;
  const last = rows.at(-1)!;
  // Both ends at once (one round trip, pipelined on the connection).
  const [firstPosition, lastPosition] = await Promise.all([
    positionOf(db, first.id),
    filtered && rows.length > 1 ? positionOf(db, last.id) : null,
  ]);
  if (firstPosition === null) return positions;
  if (!filtered) {
    rows.forEach((row, i) => positions.set(row.id, firstPosition + i));
    return positions;
  }
  if (rows.length > 1 && lastPosition === null) return positions;
  const span = (lastPosition ?? firstPosition) - firstPosition + 1;
  if (span === rows.length) {
    rows.forEach((row, i) => positions.set(row.id, firstPosition + i));
    return positions;
  }
  if (span > SPAN_WALK_LIMIT) {
    const each = await Promise.all(rows.map((row) => positionOf(db, row.id)));
    rows.forEach((row, i) => each[i] !== null && positions.set(row.id, each[i]!));
    return positions;
  }
  // The span as index ranges (a row comparison cannot be an index condition across priority
  // levels): the rest of the first row's level, whole levels in between, the start of the last's.
  const firstKey = sql`(${first.queued_at}::timestamptz, ${first.id}::uuid)`;
  const lastKey = sql`(${last.queued_at}::timestamptz, ${last.id}::uuid)`;
  const ranges =
    first.priority === last.priority
      ? [sql`priority = ${first.priority} and (queued_at, id) >= ${firstKey} and (queued_at, id) <= ${lastKey}`]
      : [
          sql`priority = ${first.priority} and (queued_at, id) >= ${firstKey}`,
          sql`priority < ${first.priority} and priority > ${last.priority}`,
          sql`priority = ${last.priority} and (queued_at, id) <= ${lastKey}`,
        ];
  // The limit changes no answer (the span is at most SPAN_WALK_LIMIT rows) but bounds the plan's
  // estimate: the planner does not narrow a range by its row-comparison upper bound, so without it
  // a span counts as the rest of its priority level, and at 10M that estimate passes
  // jit_above_cost — a few milliseconds of JIT compiling to walk a few hundred index entries.
  const spanRows = sql`select * from (${sql.join(
    ranges.map((range) => sql`select id, priority, queued_at from registrations where status = 'waiting' and ${range}`),
    sql` union all `,
  )}) span_rows limit ${SPAN_WALK_LIMIT}`;
  const ids = rows.map((r) => sql`${r.id}::uuid`);
  const ranked = await db.execute<{ id: string; offset: number }>(sql`
    select id, offset_in_span as offset from (
      select id, row_number() over (order by priority desc, queued_at, id) - 1 as offset_in_span from (${spanRows}) span
    ) ranked where id in (${sql.join(ids, sql`, `)})`);
  for (const row of ranked) positions.set(row.id, firstPosition + Number(row.offset));
  return positions;
}

function toDate(value: string | Date | null): Date | null {
  return value === null ? null : value instanceof Date ? value : new Date(value);
}

function present(actor: Actor, row: RawRow, position: number | null): RegistrationListRow {
  return {
    id: row.id,
    phone: phoneForRole(actor.role, row.phone),
    phoneCountry: row.phone_country,
    email: row.email,
    platform: row.platform,
    status: row.status,
    priority: Number(row.priority),
    referralPoints: Number(row.referral_points),
    boostPoints: Number(row.boost_points),
    review: row.review,
    legacyClaim: row.legacy_claim,
    referralCode: row.referral_code,
    queuedAt: toDate(row.queued_at),
    createdAt: toDate(row.created_at)!,
    position,
  };
}

/** One page of registrations for the console (view permission; phones as the role may see them). */
export async function listRegistrations(db: Database, actor: Actor, rawInput: RegistrationListInput): Promise<RegistrationListPage> {
  assertCan(actor, "view");
  const input = registrationListInput.parse(rawInput);
  const { order, dir } = resolveOrder(input);
  const empty = (searchNote: string | null): RegistrationListPage => ({ rows: [], order, dir, nextCursor: null, previousCursor: null, searchNote });

  const filters = await filterConditions(db, input, actor.role);
  if (typeof filters === "string") return empty(filters);

  // Page and positions from one snapshot, so positions agree with the rows shown.
  return db.transaction(
    async (tx) => {
      const backwards = input.before !== undefined;
      const cursorId = input.before ?? input.after;
      const cursor = cursorId ? await cursorKey(tx, cursorId) : null;
      // Reading direction: `dir` forwards, the opposite when paging back.
      const readAscending = (dir === "asc") !== backwards;
      // A search matches a handful of rows: find them through their own index first, then order
      // the few. Without the fence (offset 0 keeps the subquery from being flattened) the planner,
      // which has no statistics for the partial e-mail index, walks the sort index through
      // millions of rows looking for them.
      const source = input.q ? sql`(select * from registrations r where ${allOf(filters)} offset 0)` : sql`registrations`;
      const pageFilters = input.q ? [] : filters;
      // In queue order the filters include status = waiting: the queue index's predicate.
      const statement =
        order === "position"
          ? queueQuery(source, pageFilters, cursor, readAscending, input.limit + 1)
          : createdQuery(source, pageFilters, cursor, !readAscending, input.limit + 1);
      const fetched = await tx.execute<RawRow>(statement);
      const page = toKeysetPage([...fetched], { limit: input.limit, backwards, fromCursor: cursor !== null });

      let positions = new Map<string, number>();
      if (order === "position") {
        const frontToBack = dir === "asc" ? page.rows : [...page.rows].reverse();
        positions = await queuePositions(tx, frontToBack, skipsPeople(input));
      }
      return {
        ...page,
        rows: page.rows.map((row) => present(actor, row, positions.get(row.id) ?? null)),
        order,
        dir,
        searchNote: null,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Every matching registration in page order, `chunkSize` rows at a time (the CSV export): each
 * chunk is one keyset page, so memory stays bounded however many rows match.
 */
export function iterateRegistrations(
  db: Database,
  actor: Actor,
  rawInput: RegistrationListInput,
  chunkSize = 1000,
): AsyncGenerator<RegistrationListRow[]> {
  const { after: _after, before: _before, ...input } = registrationListInput.parse(rawInput);
  return iteratePages((after: string | undefined) => listRegistrations(db, actor, { ...input, after, limit: chunkSize }));
}
