// The public API's view of the registration policy: the settings row and the held prefixes,
// read once per process every SNAPSHOT_TTL_MS instead of once per request. The request path
// needs them before its first round trip (the Redis counters are keyed and judged by them), and
// at 1,000 registrations/s re-reading a row that changes a few times a week is pure cost.
// A change made through this process applies at once (forgetPolicySnapshots); other processes
// see it within the TTL.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { smsPrefixHolds, type PolicySettings } from "@/db/schema";
import { getPolicySettings } from "./get-policy-settings";

export interface PolicySnapshot {
  settings: PolicySettings;
  /** Prefixes held for collapsed conversion: no codes to them until an admin releases them. */
  heldPrefixes: ReadonlySet<string>;
}

export const SNAPSHOT_TTL_MS = 2_000;

interface CachedSnapshot {
  loadedAt: number;
  generation: number;
  snapshot: Promise<PolicySnapshot>;
}

// Per database handle: tests (and the CLI) use several databases in one process.
const cache = new WeakMap<Database, CachedSnapshot>();
let generation = 0;

export function loadPolicySnapshot(db: Database, now: number = Date.now()): Promise<PolicySnapshot> {
  const cached = cache.get(db);
  if (cached && cached.generation === generation && now - cached.loadedAt < SNAPSHOT_TTL_MS) return cached.snapshot;
  const entry: CachedSnapshot = { loadedAt: now, generation, snapshot: readSnapshot(db) };
  cache.set(db, entry);
  // A failed read (database down) is not kept.
  entry.snapshot.catch(() => {
    if (cache.get(db) === entry) cache.delete(db);
  });
  return entry.snapshot;
}

/** Makes every handle's next read fresh: after a policy change or a prefix hold/release in this process. */
export function forgetPolicySnapshots(): void {
  generation += 1;
}

async function readSnapshot(db: Database): Promise<PolicySnapshot> {
  const [settings, held] = await Promise.all([
    getPolicySettings(db),
    db.select({ prefix: smsPrefixHolds.prefix }).from(smsPrefixHolds).where(eq(smsPrefixHolds.status, "held")),
  ]);
  return { settings, heldPrefixes: new Set(held.map((row) => row.prefix)) };
}
