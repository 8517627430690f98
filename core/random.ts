/**
 * The one source of randomness in a run (jitter, sync delays, ids, codes, nonces). Same seed, same run,
 * event for event. Implemented by SeededRandom in seeded-random.ts.
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** A string of `length` decimal digits (leading zeros allowed), e.g. an 8-digit unlock code. */
  digits(length: number): string;
  /** A lowercase base-36 token of `length` characters, e.g. for ids, tokens, secrets, nonces. */
  token(length: number): string;
  /**
   * An independent generator derived from this one's seed and `label` (not from how much has been drawn),
   * so that adding a device or a draw in one place never changes the draws anywhere else.
   */
  fork(label: string): Random;
}
