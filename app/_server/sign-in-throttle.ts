// Brakes on password guessing at the console sign-in: only FAILED attempts count, per e-mail
// (10 per 15 min) and per client IP (50 per 15 min), so staff who sign in often are never slowed.
// Counted in this process's memory: with several web processes each keeps its own count, which
// still bounds guessing to N × the limit (the public API's limits use Redis; sign-in is rare).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

const WINDOW_SECONDS = 15 * 60;

export interface SignInThrottle {
  /** Seconds to wait when this e-mail or IP has used up its failures, else 0. */
  blockedFor(email: string, ip: string): Promise<number>;
  recordFailure(email: string, ip: string): Promise<void>;
}

export function createSignInThrottle(limits = { perEmail: 10, perIp: 50 }): SignInThrottle {
  const byEmail = new RateLimiterMemory({ keyPrefix: "signin-email", points: limits.perEmail, duration: WINDOW_SECONDS });
  const byIp = new RateLimiterMemory({ keyPrefix: "signin-ip", points: limits.perIp, duration: WINDOW_SECONDS });
  const emailKey = (email: string) => email.trim().toLowerCase();

  return {
    async blockedFor(email, ip) {
      const [e, i] = await Promise.all([byEmail.get(emailKey(email)), byIp.get(ip)]);
      const waits = [
        [e, limits.perEmail],
        [i, limits.perIp],
      ].map(([res, points]) => {
        const r = res as RateLimiterRes | null;
        return r && r.consumedPoints >= (points as number) ? Math.ceil(r.msBeforeNext / 1000) : 0;
      });
      return Math.max(...waits);
    },
    async recordFailure(email, ip) {
      // consume() rejects once a key is over its limit; that is the state we are recording.
      await Promise.allSettled([byEmail.consume(emailKey(email)), byIp.consume(ip)]);
    },
  };
}

const cache = globalThis as unknown as { gatehouseSignInThrottle?: SignInThrottle };

/** The process-wide throttle used by the sign-in action. */
export function signInThrottle(): SignInThrottle {
  cache.gatehouseSignInThrottle ??= createSignInThrottle();
  return cache.gatehouseSignInThrottle;
}
