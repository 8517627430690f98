import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import type { Random } from "./random.ts";

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * The run's one source of randomness: xoroshiro128+ from pure-rand, seeded from a number or a string.
 *
 * A fork's seed is a hash of (this generator's seed, label), never of its current state, so forks are stable:
 * drawing more from a parent, or forking in another order, never changes what a fork produces.
 */
export class SeededRandom implements Random {
  /** The 32-bit seed this generator started from; forks derive from it. */
  readonly seed: number;
  private readonly rng: RandomGenerator;

  /** Integers are taken as they are (folded to 32 bits); strings are hashed with FNV-1a. */
  constructor(seed: number | string) {
    this.seed = typeof seed === "string" ? fnv1a(seed) : foldSeed(seed);
    // xoroshiro128plus(seed) puts the seed into the state almost verbatim, so seeds 1 and 2 would start with
    // nearly the same outputs; a 32-bit avalanche mix first makes neighbouring seeds unrelated from draw one.
    this.rng = xoroshiro128plus(mix32(this.seed));
  }

  next(): number {
    return uniformFloat64(this.rng);
  }

  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`int(min, max) needs safe integers with min <= max, got ${min}, ${max}`);
    }
    return uniformInt(this.rng, min, max);
  }

  digits(length: number): string {
    return this.chars(length, "0123456789");
  }

  token(length: number): string {
    return this.chars(length, BASE36);
  }

  fork(label: string): SeededRandom {
    // The separator keeps ("1", "2/x") and ("12", "/x")-style pairs from colliding by concatenation.
    return new SeededRandom(fnv1a(`${this.seed}\u0000${label}`));
  }

  private chars(length: number, alphabet: string): string {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`length must be an integer >= 0, got ${length}`);
    // Char codes first, one string at the end: `out += char` builds a chain of one rope node per character, which
    // a token kept as a credential holds on to (about 1 KB for a 32-character token) until something flattens it.
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(uniformInt(this.rng, 0, alphabet.length - 1));
    // One token fits one call (every nonce, secret and challenge): no slice copy per draw.
    if (length <= CHUNK) return String.fromCharCode.apply(null, codes);
    let out = "";
    for (let i = 0; i < length; i += CHUNK) out += String.fromCharCode(...codes.slice(i, i + CHUNK));
    return out;
  }
}

/** FNV-1a over UTF-16 code units, 32 bits: tiny, stable across platforms and versions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Integer seeds beyond 32 bits (e.g. an epoch-ms seed) keep their high bits by folding them in. */
function foldSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`a numeric seed must be a safe integer, got ${seed}`);
  const high = Math.floor(seed / 2 ** 32);
  return ((seed >>> 0) ^ (high >>> 0)) >>> 0;
}

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Char codes per String.fromCharCode call: far below any engine's argument limit. */
const CHUNK = 4096;
