import { ed25519 } from "@noble/curves/ed25519";
import { concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils";
import { canonicalJson } from "./canonical-json.ts";
import { RecentResults } from "./recent-results.ts";
import { base64url } from "./signing.ts";

/*
 * The lock service's pinned key (Heartlock addition to PROTOCOL.md). The service holds an Ed25519 key pair; every
 * check-in answer and every heartbeat answer also carries `serverSignature`: base64url Ed25519 over the answer's
 * canonical JSON without `serverSignature` and without the HMAC `signature`. The HMAC is computed last, over
 * everything but itself (`serverSignature` included), so a client written from PROTOCOL.md alone verifies it as before. A phone is provisioned with the public
 * key and refuses any answer it does not verify: a man in the middle can forge neither a release nor a check-in
 * that hands the phone a secret of his own, which a shared secret sent in plain text at check-in cannot prevent.
 *
 * Node's own crypto signs and verifies where it exists (native, ~100x faster); @noble/curves (pure JavaScript)
 * elsewhere, so a browser build under MSW still works. Both produce the same bytes (Ed25519 is deterministic).
 */
export const SERVER_SIGNATURE = "serverSignature";

export interface ServerKeyPair {
  /** The 32-byte private seed. */
  readonly seed: Uint8Array;
  /** base64url of the 32-byte public key: what is printed, served and pinned on the phones. */
  readonly publicKey: string;
}

/** The slice of node:crypto used here, typed locally so this file type-checks without Node's types (tsconfig.browser.json). */
interface KeyObjectLike {
  export(options: { format: "der"; type: "spki" }): Uint8Array;
}
interface NodeCrypto {
  createPrivateKey(options: { key: Uint8Array; format: "der"; type: "pkcs8" }): KeyObjectLike;
  createPublicKey(input: KeyObjectLike | { key: Uint8Array; format: "der"; type: "spki" }): KeyObjectLike;
  /** A Buffer: a Uint8Array whose toString takes an encoding. */
  sign(algorithm: null, data: Uint8Array | string, key: KeyObjectLike): Uint8Array & { toString(encoding: "base64url"): string };
  verify(algorithm: null, data: Uint8Array, key: KeyObjectLike, signature: Uint8Array): boolean;
}
// Reached through process.getBuiltinModule, not an import, so a browser bundle never sees node:crypto.
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;

const PKCS8_PREFIX = "302e020100300506032b657004220420";
const SPKI_PREFIX = "302a300506032b6570032100";

/** The key pair of a 32-byte seed (from a CSPRNG in `serve`, from the scenario's seed in a run, or from HEARTLOCK_SERVER_KEY). */
export function serverKeyPair(seed: Uint8Array): ServerKeyPair {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  if (nodeCrypto) {
    const spki = nodeCrypto.createPublicKey(privateKeyObject(nodeCrypto, seed)).export({ format: "der", type: "spki" });
    return { seed, publicKey: base64url(new Uint8Array(spki.subarray(spki.length - 32))) };
  }
  return { seed, publicKey: base64url(ed25519.getPublicKey(seed)) };
}

/** Signs an answer: returns it with `serverSignature` added. */
export function signAnswer<T extends object>(key: ServerKeyPair, answer: T): T & { serverSignature: string } {
  return { ...answer, serverSignature: serverSignatureOf(key, canonicalJson(withoutServerSignature(answer))) };
}

/**
 * The `serverSignature` of an answer whose canonical JSON (without either signature) is `message`: for a caller
 * that already holds that text (protocol/signed-answer.ts builds it once for both signatures of a heartbeat).
 */
export function serverSignatureOf(key: ServerKeyPair, message: string): string {
  // Node's Buffer encodes base64url natively; the portable loop in base64url() costs as much as the HMAC. Node
  // takes the text itself and encodes it as UTF-8 natively (utf8ToBytes would encode it and then copy the bytes).
  const signature = nodeCrypto ? nodeCrypto.sign(null, message, privateKeyObject(nodeCrypto, key.seed)).toString("base64url") : base64url(ed25519.sign(utf8ToBytes(message), key.seed));
  // Filed under the public key of the seed that signed, never the object's own publicKey field: a pair put
  // together by hand with someone else's public key must not make its signatures look like theirs.
  recentSignatures.add(publicKeyOfSeed(key.seed), message, signature);
  return signature;
}

const seedPublicKeys = new WeakMap<Uint8Array, string>();
function publicKeyOfSeed(seed: Uint8Array): string {
  let publicKey = seedPublicKeys.get(seed);
  if (publicKey === undefined) {
    publicKey = serverKeyPair(seed).publicKey;
    seedPublicKeys.set(seed, publicKey);
  }
  return publicKey;
}

/*
 * The last few signatures made here, by (public key, message). When the service and its phones share a process (the
 * studio, a scenario run), a phone verifies an answer a moment after the service signed the same text: one
 * Ed25519 verification (~110 µs with Node's crypto) per heartbeat, most of a 1,000-phone month in the studio. A
 * signature this process made over exactly this message with the key that matches this public key is valid
 * (Ed25519 signing is deterministic, and a signature made with the private key verifies under its public key), so
 * such a hit needs no verification. Anything else is verified as before: an answer changed on the way has another
 * message, a forged signature another text, a phone pinned to another key another public key. The same reasoning
 * as the HMAC memo in signing.ts.
 */
const recentSignatures = new RecentResults(4);

/** True only for an answer whose `serverSignature` verifies under the pinned public key. */
export function verifyAnswer(publicKey: string, answer: unknown): boolean {
  if (typeof answer !== "object" || answer === null) return false;
  const signature = (answer as Record<string, unknown>)[SERVER_SIGNATURE];
  if (typeof signature !== "string" || signature.length > 100) return false;
  try {
    const text = canonicalJson(withoutServerSignature(answer));
    if (recentSignatures.find(publicKey, text) === signature) return true;
    const message = utf8ToBytes(text);
    const sig = fromBase64url(signature);
    const pub = fromBase64url(publicKey);
    if (nodeCrypto) return nodeCrypto.verify(null, message, publicKeyObject(nodeCrypto, pub), sig);
    return ed25519.verify(sig, message, pub);
  } catch {
    return false;
  }
}

function withoutServerSignature(answer: object): Record<string, unknown> {
  const { [SERVER_SIGNATURE]: _dropped, signature: _hmac, ...rest } = answer as Record<string, unknown>;
  return rest;
}

const privateKeys = new WeakMap<Uint8Array, KeyObjectLike>();
function privateKeyObject(crypto: NodeCrypto, seed: Uint8Array): KeyObjectLike {
  let key = privateKeys.get(seed);
  if (!key) {
    key = crypto.createPrivateKey({ key: concatBytes(hexToBytes(PKCS8_PREFIX), seed), format: "der", type: "pkcs8" });
    privateKeys.set(seed, key);
  }
  return key;
}

const publicKeys = new Map<string, KeyObjectLike>();
function publicKeyObject(crypto: NodeCrypto, pub: Uint8Array): KeyObjectLike {
  const id = base64url(pub);
  let key = publicKeys.get(id);
  if (!key) {
    if (publicKeys.size > 64) publicKeys.clear();
    key = crypto.createPublicKey({ key: concatBytes(hexToBytes(SPKI_PREFIX), pub), format: "der", type: "spki" });
    publicKeys.set(id, key);
  }
  return key;
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
