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

/** The cooldown that the `failures`-th consecutive wrong code starts, if any. */
export function cooldownAfter(failures: number, rules: AttemptRules): number | undefined {
  const over = failures - rules.freeFailures;
  return over >= 0 ? rules.baseCooldown * 2 ** over : undefined;
}

export function attemptsLeft(failures: number, rules: AttemptRules): number {
  return Math.max(0, rules.freeFailures - failures);
}
