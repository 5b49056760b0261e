// A bound on the argon2id verifications running at once in this process (SPEC §3.8): each costs
// 19 MiB and tens of milliseconds of a core, so a flood of guesses — from however many addresses —
// could otherwise take the memory and the CPU of the web tier. Beyond the bound the attempt is
// answered "busy, try again" at once, without queueing: a queue would only hold the flood longer.
// The throttle (per address and account) is consumed after a slot is taken, so a refused attempt
// costs nothing there.

export interface VerificationSlots {
  /** A release function, or null when every slot is taken. Call the release exactly once. */
  tryAcquire(): (() => void) | null;
  /** Verifications running now. */
  readonly active: number;
  /** The most that ever ran at once (for tests and the metrics). */
  readonly highWater: number;
  readonly limit: number;
}

export function createVerificationSlots(limit: number): VerificationSlots {
  let active = 0;
  let highWater = 0;
  return {
    tryAcquire() {
      if (active >= limit) return null;
      active += 1;
      highWater = Math.max(highWater, active);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active -= 1;
      };
    },
    get active() {
      return active;
    },
    get highWater() {
      return highWater;
    },
    limit,
  };
}

/** argon2 runs on libuv's thread pool (4 threads by default): more at once would only queue there. */
export const DEFAULT_VERIFICATION_SLOTS = 4;

const cache = globalThis as unknown as { gatehouseVerificationSlots?: VerificationSlots };

/** The process-wide slots every password check takes (sign-in, password change). */
export function verificationSlots(): VerificationSlots {
  return (cache.gatehouseVerificationSlots ??= createVerificationSlots(DEFAULT_VERIFICATION_SLOTS));
}
