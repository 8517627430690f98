import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";
import { canonicalJson } from "./canonical-json.ts";

/*
 * HMAC-SHA256 in pure JavaScript (@noble/hashes) rather than node:crypto: the same code signs in Node,
 * verifies in the simulated device, and will run inside a browser prototype (MSW), synchronously.
 * The key is the UTF-8 bytes of the `deviceSecret` string exactly as check-in returned it.
 */

export function hmacSha256(secret: string, message: string): Uint8Array {
  return hmac(sha256, utf8ToBytes(secret), utf8ToBytes(message));
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The heartbeat response's signature: base64url HMAC-SHA256 over its canonical JSON without `signature`. */
export function signResponse<T extends object>(body: T, secret: string): T & { signature: string } {
  const { signature: _ignored, ...unsigned } = body as T & { signature?: unknown };
  return { ...body, signature: base64url(hmacSha256(secret, canonicalJson(unsigned))) };
}

export function verifyResponse<T extends { signature: string }>(body: T, secret: string): boolean {
  const { signature, ...unsigned } = body;
  return constantTimeEqual(signature, base64url(hmacSha256(secret, canonicalJson(unsigned))));
}

/** Compares two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
