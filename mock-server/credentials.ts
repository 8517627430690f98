/**
 * Where the lock service's secrets come from: device tokens, device secrets and unlock codes. A scenario run
 * draws them from its seeded generator (so a test can know them in advance, and a seed replays the same run);
 * `heartlock serve` injects `secureCredentials`, so nobody can compute them from the seed or from what the studio
 * shows (README "Security model"). Ids, delays and jitter stay seeded either way: the seed still tells the story.
 */
export interface CredentialSource {
  /** A lowercase base-36 string of `length` characters. */
  token(length: number): string;
  /** `length` decimal digits, leading zeros allowed. */
  digits(length: number): string;
}

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A CSPRNG (Web Crypto's getRandomValues, in Node and browsers alike), unbiased by rejection sampling. */
export const secureCredentials: CredentialSource = {
  token: (length) => draw(length, BASE36),
  digits: (length) => draw(length, "0123456789"),
};

function draw(length: number, alphabet: string): string {
  // The largest multiple of the alphabet's size below 256: bytes above it are drawn again, so every symbol is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  const bytes = new Uint8Array(Math.min(65_536, Math.max(16, length * 2)));
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
