/**
 * How many wrong codes an owner may type before waiting, and how long the wait is: the lock service
 * applies these to online unlock codes, and the phone applies the same to offline codes it checks itself.
 * Five wrong codes start a cooldown; each further wrong code doubles it.
 */
export interface AttemptRules {
  readonly freeFailures: number;
  /** Milliseconds of simulated time. */
  readonly baseCooldown: number;
}

export const defaultAttemptRules: AttemptRules = { freeFailures: 5, baseCooldown: 5 * 60_000 };

/**
 * The longest wait, however many wrong codes: a day. Without a cap, 18 wrong codes meant 27 days, even for an
 * owner who then got a valid code from support (support can also reset the counter: POST …/reset-attempts).
 */
export const MAX_COOLDOWN_MS = 24 * 60 * 60_000;

/** The cooldown that the `failures`-th consecutive wrong code starts, if any (doubling, at most MAX_COOLDOWN_MS). */
export function cooldownAfter(failures: number, rules: AttemptRules): number | undefined {
  const over = failures - rules.freeFailures;
  return over >= 0 ? Math.min(MAX_COOLDOWN_MS, rules.baseCooldown * 2 ** Math.min(over, 40)) : undefined;
}

export function attemptsLeft(failures: number, rules: AttemptRules): number {
  return Math.max(0, rules.freeFailures - failures);
}
