// Load shedding for the HTTP APIs (SPEC §7 "Overload"): beyond what a process can serve quickly,
// answer at once with 503 + Retry-After instead of queueing requests into timeouts.
//
// The bound is on work in flight, sized by Little's law: a process completing R requests/s with
// L requests in flight makes each wait about L / R, so L = R × target latency keeps accepted
// requests near the target. R is measured (completions per second, smoothed), so the limit
// follows what the database and the event loop can actually do right now — a slow database
// lowers it, and requests are shed before they pile up in the connection pool's queue. A
// blocked event loop (every request waits for it) halves the limit while it lasts.
//
// A process whose event loop is nearly always busy cannot even read the requests it would
// refuse: they wait in socket buffers, refusals included, far beyond any target. So a busy loop
// (utilization above `busyLimit`) scales the limit down step by step, and an easy one lets it
// back up: fewer admitted requests leave CPU to read and refuse the rest at once. While it is
// also refusing (demand beyond the limit: a flood, not a client fleet at capacity), the floor
// steps down too, to a quarter — a floor held through a flood keeps admitting the very work that
// starves the loop. A fleet of closed-loop clients within the floor is never refused, so it
// keeps the floor even on a busy loop.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface OverloadGuardOptions {
  /** Latency an accepted request should stay near (default 100 ms). */
  targetLatencyMs?: number;
  /**
   * Floor and ceiling of the in-flight limit (defaults 64 and 1,024). The floor is what an idle
   * process admits before it has a rate to go by: more than a well-behaved client fleet keeps in
   * flight, so only a flood meets it. A busy loop that is refusing lowers it to a quarter.
   */
  minInFlight?: number;
  maxInFlight?: number;
  /** Event-loop delay (mean over a window) above which the limit halves (default 50 ms). */
  loopDelayLimitMs?: number;
  /** Event-loop utilization (over a window) above which the limit steps down (default 0.9). */
  busyLimit?: number;
}

export interface OverloadGuard {
  /** Admits a request (true) or refuses it (false); an admitted request must call leave() once. */
  tryEnter(): boolean;
  leave(): void;
  /** The current limit and load, for metrics and tests. */
  state(): { inFlight: number; limit: number; completionsPerSecond: number };
  close(): void;
}

/** A tenth of a second: a flood is met within a few windows, not a few seconds. */
const WINDOW_MS = 100;
/**
 * During a flood, a loop that has not run a 10 ms timer for this long is congested right now: what
 * it reads in this turn has waited that long already, and admitting more only lengthens the next
 * turn. Outside a flood a pause that long (a GC) refuses nobody: the clients within the floor
 * wait for it and are served.
 */
const STALLED_MS = 50;
/** A refusal within this long means a flood is on. */
const FLOOD_MEMORY_MS = 1000;
/** Admitted even on a stalled loop, so the completion rate keeps being measured. */
const STALL_FLOOR = 4;

export function createOverloadGuard(options: OverloadGuardOptions = {}): OverloadGuard {
  const targetSeconds = (options.targetLatencyMs ?? 100) / 1000;
  const minInFlight = options.minInFlight ?? 64;
  const maxInFlight = options.maxInFlight ?? 1024;
  const loopDelayLimitNs = (options.loopDelayLimitMs ?? 50) * 1e6;
  const busyLimit = options.busyLimit ?? 0.9;

  let inFlight = 0;
  let completedInWindow = 0;
  let refusedInWindow = 0;
  let completionsPerSecond = 0;
  let limit = minInFlight;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let utilization = performance.eventLoopUtilization();
  // Shares of the rate-sized limit and of the floor admitted: down while the loop is busy, back up when easy.
  let share = 1;
  let floorShare = 1;
  let lastTurnAt = performance.now();
  let lastRefusedAt = -Infinity;
  const turnTimer = setInterval(() => (lastTurnAt = performance.now()), 10);
  turnTimer.unref();

  // Every window: the completion rate (smoothed over about a second), and from it the limit.
  const timer = setInterval(() => {
    const rate = (completedInWindow * 1000) / WINDOW_MS;
    completionsPerSecond = completionsPerSecond === 0 ? rate : 0.9 * completionsPerSecond + 0.1 * rate;
    const refusing = refusedInWindow > 0;
    completedInWindow = 0;
    refusedInWindow = 0;
    const blocked = loopDelay.mean > loopDelayLimitNs;
    loopDelay.reset();
    const busy = performance.eventLoopUtilization(utilization).utilization;
    utilization = performance.eventLoopUtilization();
    if (busy > busyLimit) {
      share = Math.max(0.05, share * 0.96);
      if (refusing) floorShare = Math.max(0.25, floorShare * 0.87);
    } else if (busy < busyLimit - 0.15) {
      share = Math.min(1, share * 1.025);
    }
    // The floor comes back within about 3 s once the loop is easy or nothing is refused.
    if (busy < busyLimit - 0.15 || !refusing) floorShare = Math.min(1, floorShare * 1.05);
    const byRate = Math.ceil(completionsPerSecond * targetSeconds * share);
    const floor = Math.ceil(minInFlight * floorShare);
    limit = Math.max(floor, Math.min(maxInFlight, blocked ? Math.floor(byRate / 2) : byRate));
  }, WINDOW_MS);
  timer.unref();

  return {
    tryEnter() {
      const now = performance.now();
      const stalledInFlood = inFlight >= STALL_FLOOR && now - lastRefusedAt < FLOOD_MEMORY_MS && now - lastTurnAt > STALLED_MS;
      if (inFlight >= limit || stalledInFlood) {
        refusedInWindow += 1;
        lastRefusedAt = now;
        return false;
      }
      inFlight += 1;
      return true;
    },
    leave() {
      inFlight -= 1;
      completedInWindow += 1;
    },
    state: () => ({ inFlight, limit, completionsPerSecond }),
    close() {
      clearInterval(timer);
      clearInterval(turnTimer);
      loopDelay.disable();
    },
  };
}
