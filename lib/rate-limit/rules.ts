// The public API's rate limits (SPEC §5): per IP, per phone, per token. Each rule is N points
// per window; every request consumes one point of each rule that applies. Override any of them
// with the RATE_LIMITS env variable (JSON), e.g. for load tests.
export interface RateLimitRule {
  points: number;
  /** Window, in seconds. */
  duration: number;
}

export const defaultRateLimitRules = {
  /** Registrations from one address (generous: mobile carriers put many people behind one IP). */
  registerPerIp: { points: 60, duration: 60 },
  /** Codes sent to one phone: each registration of it sends an SMS. */
  registerPerPhone: { points: 5, duration: 60 * 60 },
  verifyPerIp: { points: 120, duration: 60 },
  /**
   * Guesses against one registration from all addresses together: the brute-force bound (a code
   * lives 30 minutes, so at most 60 guesses reach it). Each address also has its own, smaller
   * allowance (policy verificationMaxAttempts), and attempts refused by it do not count here —
   * see lib/registrations/count-verification-attempt.ts.
   */
  verifyPerRegistration: { points: 30, duration: 30 * 60 },
  statusPerIp: { points: 600, duration: 60 },
  statusPerToken: { points: 60, duration: 60 },
  redeemPerIp: { points: 30, duration: 60 },
  redeemPerPhone: { points: 10, duration: 60 * 60 },
  memberPerIp: { points: 300, duration: 60 },
  memberPerToken: { points: 60, duration: 60 },
  memberInvitesPerToken: { points: 30, duration: 60 * 60 },
  /**
   * Staff sign-in (SPEC §3.8): every attempt that checks a password consumes a point BEFORE the
   * check, per (client address, account) and per client address; a successful sign-in gives the
   * pair's points back. Never per account alone: guessing from one address must not lock the
   * owner out elsewhere.
   */
  signInPerAddressAccount: { points: 10, duration: 15 * 60 },
  signInPerAddress: { points: 50, duration: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

export type RateLimitRuleName = keyof typeof defaultRateLimitRules;
export type RateLimitRules = Record<RateLimitRuleName, RateLimitRule>;

export function resolveRateLimitRules(overrides: Partial<Record<string, RateLimitRule>> = {}): RateLimitRules {
  const rules = { ...defaultRateLimitRules } as RateLimitRules;
  for (const name of Object.keys(rules) as RateLimitRuleName[]) {
    const override = overrides[name];
    if (override) rules[name] = override;
  }
  return rules;
}
