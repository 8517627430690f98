import { hmacSha256 } from "./signing.ts";

/**
 * The answer to an offline challenge: HOTP-style dynamic truncation (RFC 4226 §5.3) of
 * HMAC-SHA256(key = deviceSecret, message = challenge), as 8 decimal digits. The lock service computes
 * it for support; the locked, offline device computes the same locally and compares.
 * Dashes in the challenge are ignored and letters are upper-cased, so "4821-7730" and "48217730" agree.
 */
export function offlineCodeFor(challenge: string, deviceSecret: string): string {
  const mac = hmacSha256(deviceSecret, normaliseChallenge(challenge));
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary =
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0);
  return String(binary % 100_000_000).padStart(8, "0");
}

export function normaliseChallenge(challenge: string): string {
  return challenge.replace(/-/g, "").toUpperCase();
}
