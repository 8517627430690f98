import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";
import { canonicalJson } from "./canonical-json.ts";
import { RecentResults } from "./recent-results.ts";

/*
 * HMAC-SHA256, synchronously, wherever Heartlock runs: Node's own crypto when the runtime has it (about
 * 3x faster, and heartbeats are the hot path of a fleet), otherwise @noble/hashes in pure JavaScript (a
 * browser prototype under MSW). node:crypto is reached through process.getBuiltinModule, not an import,
 * so browser builds never see it. Both give the same bytes; signing.test.ts checks them against each other.
 * The key is the UTF-8 bytes of the `deviceSecret` string exactly as check-in returned it.
 */
/** The slice of node:crypto used here, typed locally so this file type-checks without Node's types (tsconfig.browser.json). */
interface NodeCrypto {
  createHmac(algorithm: "sha256", key: string): { update(data: string): { digest(): Uint8Array; digest(encoding: "base64url"): string } };
}

const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
  "node:crypto",
) as NodeCrypto | undefined;

export function hmacSha256(secret: string, message: string): Uint8Array {
  if (nodeCrypto) return new Uint8Array(nodeCrypto.createHmac("sha256", secret).update(message).digest());
  return portableHmacSha256(secret, message);
}

/** base64url HMAC-SHA256: the form signatures travel in. */
export function hmacBase64url(secret: string, message: string): string {
  const known = recentMacs.find(secret, message);
  if (known !== undefined) return known;
  const mac = nodeCrypto ? nodeCrypto.createHmac("sha256", secret).update(message).digest("base64url") : base64url(portableHmacSha256(secret, message));
  recentMacs.add(secret, message, mac);
  return mac;
}

/*
 * The last few HMACs computed here, by (secret, message). When the service and the phone share a process (a fleet
 * on virtual time, the in-process and local HTTP transports), the phone checks an answer by hashing the canonical
 * text it rebuilt from what it received, a moment after the service hashed the same text under the same secret:
 * half of a heartbeat's HMAC work (~19 % of its CPU at 10,000 phones) was that one hash done twice. It is a memo of
 * a pure function, so the check is unchanged: an answer altered on the way gives another text (a miss: hashed
 * afresh, and refused), and a forged signature is compared with the genuine MAC as before. Only exact equality of
 * both strings is a hit.
 */
const recentMacs = new RecentResults(4);

/** The pure-JavaScript implementation, used where node:crypto is absent. */
export function portableHmacSha256(secret: string, message: string): Uint8Array {
  return hmac(sha256, utf8ToBytes(secret), utf8ToBytes(message));
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The heartbeat response's signature: base64url HMAC-SHA256 over its canonical JSON without `signature`. */
export function signResponse<T extends object>(body: T, secret: string): T & { signature: string } {
  // The service signs answers that have no signature yet: those are signed as they are, without a copy first.
  const unsigned = Object.hasOwn(body, "signature") ? withoutSignature(body) : body;
  return { ...body, signature: hmacBase64url(secret, canonicalJson(unsigned)) };
}

function withoutSignature(body: object): object {
  const { signature: _ignored, ...unsigned } = body as { signature?: unknown };
  return unsigned;
}

export function verifyResponse<T extends { signature: string }>(body: T, secret: string): boolean {
  const { signature, ...unsigned } = body;
  return constantTimeEqual(signature, hmacBase64url(secret, canonicalJson(unsigned)));
}

/** Compares two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
