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
// back up: fewer admitted requests leave CPU to read and refuse the rest at once.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface OverloadGuardOptions {
  /** Latency an accepted request should stay near (default 100 ms). */
  targetLatencyMs?: number;
  /**
   * Floor and ceiling of the in-flight limit (defaults 64 and 1,024). The floor is what an idle
   * process admits before it has a rate to go by: more than a well-behaved client fleet keeps in
   * flight, so only a flood meets it.
   */
  minInFlight?: number;
  maxInFlight?: number;
  /** Event-loop delay (mean over the last second) above which the limit halves (default 50 ms). */
  loopDelayLimitMs?: number;
  /** Event-loop utilization (over the last second) above which the limit steps down (default 0.9). */
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

export function createOverloadGuard(options: OverloadGuardOptions = {}): OverloadGuard {
  const targetSeconds = (options.targetLatencyMs ?? 100) / 1000;
  const minInFlight = options.minInFlight ?? 64;
  const maxInFlight = options.maxInFlight ?? 1024;
  const loopDelayLimitNs = (options.loopDelayLimitMs ?? 50) * 1e6;
  const busyLimit = options.busyLimit ?? 0.9;

  let inFlight = 0;
  let completedThisSecond = 0;
  let completionsPerSecond = 0;
  let limit = minInFlight;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let utilization = performance.eventLoopUtilization();
  // Share of the rate-sized limit admitted: stepped down while the loop is busy, back up when easy.
  let share = 1;

  // Once a second: the completion rate (smoothed), and from it the limit.
  const timer = setInterval(() => {
    completionsPerSecond = completionsPerSecond === 0 ? completedThisSecond : 0.5 * completionsPerSecond + 0.5 * completedThisSecond;
    completedThisSecond = 0;
    const blocked = loopDelay.mean > loopDelayLimitNs;
    loopDelay.reset();
    const busy = performance.eventLoopUtilization(utilization).utilization;
    utilization = performance.eventLoopUtilization();
    share = busy > busyLimit ? Math.max(0.05, share * 0.7) : busy < busyLimit - 0.15 ? Math.min(1, share * 1.25) : share;
    const byRate = Math.ceil(completionsPerSecond * targetSeconds * share);
    limit = Math.max(minInFlight, Math.min(maxInFlight, blocked ? Math.floor(byRate / 2) : byRate));
  }, 1000);
  timer.unref();

  return {
    tryEnter() {
      if (inFlight >= limit) return false;
      inFlight += 1;
      return true;
    },
    leave() {
      inFlight -= 1;
      completedThisSecond += 1;
    },
    state: () => ({ inFlight, limit, completionsPerSecond }),
    close() {
      clearInterval(timer);
      loopDelay.disable();
    },
  };
}
