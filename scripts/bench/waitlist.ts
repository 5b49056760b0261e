// Waitlist table, SPEC §7: any page, sorted and filtered, at any depth — p95 ≤ 20 ms server time
// at 10M. Calls the console page's own data functions exactly as app/(console)/waitlist/page.tsx
// does (listRegistrations + countRegistrations in parallel, limit 50, `after` = the id of the last
// row of the previous page), for the first page in queue order, pages ~50 % and ~95 % deep (after
// a cursor row at that rank), a status filter sorted by creation time (first page and ~50 % deep),
// a country filter in both orders, a phone search and an e-mail search. Each is timed 100 times
// (p50/p95 of the list alone and of the whole page load, list + count) beside bare SQL measured in
// the same run: the single keyset statement with no transaction, cursor lookup or positions (the
// floor), and for the deep pages the naive `OFFSET n LIMIT 50` of the same depth.
//
// As a module: `benchWaitlist(context)` (`npm run bench -- --only waitlist`).
import parsePhoneNumber from "libphonenumber-js";
import type postgres from "postgres";
import type { Database } from "../../db/client";
import type { Actor } from "../../lib/auth/roles";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { countRegistrations } from "../../lib/registrations/count-registrations";
import { listRegistrations, type RegistrationListInput } from "../../lib/registrations/list-registrations";
import { compactWaitlistCounts, vacuumWaitlistCounts, waitingCount } from "../../lib/registrations/position";
import type { BenchRow } from "./types";

export interface BenchWaitlistOptions {
  sql: postgres.Sql;
  db: Database;
  /** Timed repetitions per scenario (default 100: a p95 of 30 is the second-slowest run, one hiccup). */
  repeats?: number;
  /** Naive OFFSET queries per deep page (default 3: one takes ~0.5 s at 95 % of 10M). */
  offsetSamples?: number;
  log?: (line: string) => void;
}

const TARGET_P95_MS = 20;
const PAGE_SIZE = 50;
const WARMUP = 3;
const SLOW_PAGE_MS = 1_000;
const SLOW_REPEATS = 3;

/** The console's admin, as requireStaff would hand it to the page (listRegistrations only reads). */
const admin: Actor = { staffId: "00000000-0000-4000-8000-000000000be0", email: "bench@gatehouse.invalid", role: "admin", via: { kind: "session" } };

const COLUMNS = `r.id, r.phone, r.phone_country, r.email, r.platform, r.status, r.priority, r.referral_points,
  r.boost_points, r.review, r.legacy_claim, r.referral_code, r.queued_at, r.created_at`;
const QUEUE_ORDER = "r.priority desc, r.queued_at asc, r.id asc";
const NEWEST_FIRST = "r.created_at desc, r.id desc";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function timeEach(times: number, work: () => Promise<unknown>, warmup = WARMUP): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    ms.push(performance.now() - start);
  }
  return ms;
}

/** One page of the table: the input the page passes (after its zod parse) and the bare statement it boils down to. */
interface Scenario {
  name: string;
  input: RegistrationListInput;
  bare: { text: string; params: (string | number)[] };
  /** The naive OFFSET statement of the same depth, for deep pages. */
  offset?: { text: string; params: (string | number)[] };
  /** Ids the page must show (checked once, so a fast wrong page cannot pass). */
  expectedIds?: string[];
}

interface CursorRow {
  id: string;
  priority: number;
  queued_at: string;
}

/** The waiting registration at 0-based queue rank `rank` (untimed: it is an OFFSET walk). */
async function waitingAtRank(sql: postgres.Sql, rank: number): Promise<CursorRow> {
  const [row] = await sql<CursorRow[]>`
    select id, priority, queued_at::text as queued_at from registrations r
    where status = 'waiting' order by priority desc, queued_at, id offset ${rank} limit 1`;
  if (!row) throw new Error(`no waiting registration at rank ${rank}`);
  return row;
}

async function deepQueueScenario(sql: postgres.Sql, label: string, rank: number): Promise<Scenario> {
  const cursor = await waitingAtRank(sql, rank - 1);
  const offsetText = `select ${COLUMNS} from registrations r where r.status = 'waiting' order by ${QUEUE_ORDER} offset $1 limit ${PAGE_SIZE}`;
  const expected = await sql.unsafe<{ id: string }[]>(offsetText, [rank]);
  return {
    name: `queue order, ${label} deep (rank ${(rank + 1).toLocaleString("en")})`,
    input: { status: "waiting", after: cursor.id, limit: PAGE_SIZE },
    // The floor: one index range on the cursor's priority level (a page crossing levels adds a second, as the page does).
    bare: {
      text: `select ${COLUMNS} from registrations r where r.status = 'waiting' and r.priority = $1
        and (r.queued_at, r.id) > ($2::timestamptz, $3::uuid) order by ${QUEUE_ORDER} limit ${PAGE_SIZE}`,
      params: [cursor.priority, cursor.queued_at, cursor.id],
    },
    offset: { text: offsetText, params: [rank] },
    expectedIds: expected.map((r) => r.id),
  };
}

async function buildScenarios(sql: postgres.Sql, db: Database, waiting: number): Promise<Scenario[]> {
  const scenarios: Scenario[] = [
    {
      name: "queue order, first page",
      input: { status: "waiting", limit: PAGE_SIZE },
      bare: { text: `select ${COLUMNS} from registrations r where r.status = 'waiting' order by ${QUEUE_ORDER} limit ${PAGE_SIZE}`, params: [] },
    },
    await deepQueueScenario(sql, "50 %", Math.floor(waiting * 0.5)),
    await deepQueueScenario(sql, "95 %", Math.floor(waiting * 0.95)),
  ];

  // Status filter sorted by creation time (newest first): the first page and one ~50 % deep into
  // the matching rows (cursor = a sampled invited row at the median creation time).
  const status = "invited";
  scenarios.push({
    name: `status ${status}, created_at sort, first page`,
    input: { status, sort: "createdAt", limit: PAGE_SIZE },
    bare: { text: `select ${COLUMNS} from registrations r where r.status = $1 order by ${NEWEST_FIRST} limit ${PAGE_SIZE}`, params: [status] },
  });
  const [midStatus] = await sql<{ id: string; created_at: string }[]>`
    with s as (select id, created_at from registrations tablesample system (1) where status = ${status})
    select id, created_at::text as created_at from s order by created_at desc, id desc offset (select count(*) / 2 from s) limit 1`;
  if (midStatus) {
    scenarios.push({
      name: `status ${status}, created_at sort, ~50 % deep`,
      input: { status, sort: "createdAt", after: midStatus.id, limit: PAGE_SIZE },
      bare: {
        text: `select ${COLUMNS} from registrations r where r.status = $1 and r.created_at <= $2::timestamptz
          and (r.created_at < $2::timestamptz or r.id < $3::uuid) order by ${NEWEST_FIRST} limit ${PAGE_SIZE}`,
        params: [status, midStatus.created_at, midStatus.id],
      },
    });
  }

  // Country filter: every registration newest first, and the queue ~50 % deep (filtered positions).
  const country = "FR";
  scenarios.push({
    name: `country ${country}, first page`,
    input: { country, limit: PAGE_SIZE },
    bare: { text: `select ${COLUMNS} from registrations r where r.phone_country = $1 order by ${NEWEST_FIRST} limit ${PAGE_SIZE}`, params: [country] },
  });
  const mid = await waitingAtRank(sql, Math.floor(waiting * 0.5));
  scenarios.push({
    name: `waiting + country ${country}, queue order, 50 % deep`,
    input: { status: "waiting", country, after: mid.id, limit: PAGE_SIZE },
    bare: {
      text: `select ${COLUMNS} from registrations r where r.status = 'waiting' and r.phone_country = $1 and r.priority = $2
        and (r.queued_at, r.id) > ($3::timestamptz, $4::uuid) order by ${QUEUE_ORDER} limit ${PAGE_SIZE}`,
      params: [country, mid.priority, mid.queued_at, mid.id],
    },
  });

  // Searches: a French mobile written nationally with the country filter (as staff type it), and an e-mail in other case.
  const [person] = await sql<{ id: string; phone: string; email: string }[]>`
    select id, phone, email from registrations tablesample system (0.1)
    where phone_country = 'FR' and phone is not null and email is not null limit 1`;
  if (!person) throw new Error("no French registration with an e-mail to search for");
  const national = parsePhoneNumber(person.phone)?.formatNational() ?? person.phone;
  const hash = phoneHash(await loadPhoneHashSalt(db), person.phone);
  scenarios.push(
    {
      name: "phone search",
      input: { q: national, country: "FR", limit: PAGE_SIZE },
      bare: { text: `select ${COLUMNS} from registrations r where r.phone_hash = $1 and r.phone_country = 'FR' order by ${NEWEST_FIRST} limit ${PAGE_SIZE}`, params: [hash] },
      expectedIds: [person.id],
    },
    {
      name: "e-mail search",
      input: { q: person.email.toUpperCase(), limit: PAGE_SIZE },
      // Fenced like the app's search (offset 0): unfenced, the planner — with no statistics for
      // the partial e-mail index — walks the created_at index backwards through millions of rows.
      bare: {
        text: `select ${COLUMNS} from (select * from registrations r where lower(r.email) = $1 offset 0) r order by ${NEWEST_FIRST} limit ${PAGE_SIZE}`,
        params: [person.email.toLowerCase()],
      },
    },
  );
  return scenarios;
}

/** The page's data load: list and count in parallel, as WaitlistPage awaits them. */
function pageLoad(db: Database, input: RegistrationListInput) {
  return Promise.all([listRegistrations(db, admin, input), countRegistrations(db, admin, input)]);
}

export async function benchWaitlist(options: BenchWaitlistOptions): Promise<BenchRow[]> {
  const { sql, db } = options;
  const log = options.log ?? (() => {});
  const repeats = options.repeats ?? 100;
  const offsetSamples = options.offsetSamples ?? 3;

  // The steady state the worker's compaction job keeps (every ~30 s): a page's position lookup
  // sums the unfolded delta rows, and earlier benches leave thousands of them behind.
  const compaction = await compactWaitlistCounts(db);
  await vacuumWaitlistCounts(db);
  log(`waitlist: compacted the count deltas (${compaction.rowsBefore} → ${compaction.rowsAfter} count rows)`);
  const waiting = await waitingCount(db);
  if (waiting < 10_000) throw new Error(`waitlist bench needs a seeded queue (${waiting} waiting)`);
  const scenarios = await buildScenarios(sql, db, waiting);
  log(`waitlist: ${waiting.toLocaleString("en")} waiting, ${scenarios.length} pages × ${repeats} runs`);

  const rows: BenchRow[] = [];
  for (const scenario of scenarios) {
    const checkStart = performance.now();
    const [page, count] = await pageLoad(db, scenario.input);
    // A page far over target (a plan walking millions of rows) is timed a few times, not 3 × 100.
    const slow = performance.now() - checkStart > SLOW_PAGE_MS;
    const runs = slow ? SLOW_REPEATS : repeats;
    const warmup = slow ? 0 : WARMUP;
    if (slow) log(`waitlist ${scenario.name}: first load took ${(performance.now() - checkStart).toFixed(0)} ms — timing ${runs} runs only`);
    if (page.searchNote) throw new Error(`${scenario.name}: the page refused the search: ${page.searchNote}`);
    if (scenario.expectedIds) {
      const shown = page.rows.map((r) => r.id);
      const missing = scenario.expectedIds.filter((id) => !shown.includes(id));
      if (missing.length > 0) throw new Error(`${scenario.name}: the page misses ${missing.length} expected rows (e.g. ${missing[0]})`);
    }
    if (page.rows.length === 0) throw new Error(`${scenario.name}: empty page`);

    const bare = await timeEach(runs, () => sql.unsafe(scenario.bare.text, scenario.bare.params), warmup);
    const list = await timeEach(runs, () => listRegistrations(db, admin, scenario.input), warmup);
    const load = await timeEach(runs, () => pageLoad(db, scenario.input), warmup);
    const bareP50 = percentile(bare, 50);
    const bareP95 = percentile(bare, 95);
    let offsetNote = "";
    if (scenario.offset) {
      const naive: number[] = [];
      for (let i = 0; i < offsetSamples; i++) {
        const start = performance.now();
        await sql.unsafe(scenario.offset.text, scenario.offset.params);
        naive.push(performance.now() - start);
      }
      const offsetP50 = percentile(naive, 50);
      offsetNote = `; naive OFFSET p50 ${offsetP50.toFixed(0)} ms`;
      rows.push({ name: `naive OFFSET page p50 (${scenario.name})`, value: offsetP50, unit: "ms", target: null, baseline: null });
    }
    log(
      `waitlist ${scenario.name}: ${page.rows.length} rows, count ${count.kind === "estimate" ? "≈" : ""}${count.value.toLocaleString("en")}; ` +
        `list p50 ${percentile(list, 50).toFixed(2)} / p95 ${percentile(list, 95).toFixed(2)} ms; ` +
        `page load p50 ${percentile(load, 50).toFixed(2)} / p95 ${percentile(load, 95).toFixed(2)} ms; bare keyset SQL p50 ${bareP50.toFixed(2)} ms${offsetNote}`,
    );
    rows.push(
      { name: `list p50 (${scenario.name})`, value: percentile(list, 50), unit: "ms", target: null, baseline: bareP50 },
      { name: `list p95 (${scenario.name})`, value: percentile(list, 95), unit: "ms", target: TARGET_P95_MS, baseline: bareP95 },
      {
        name: `page load p95, list + count (${scenario.name})`,
        value: percentile(load, 95),
        unit: "ms",
        target: TARGET_P95_MS,
        baseline: bareP95,
        // The rank in the name moves with the size: the operation is the same page depth.
        growth: `waitlist page p95, ${scenario.name.replace(/ \(rank [^)]*\)/, "")}`,
      },
    );
  }
  return rows;
}
