import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519";
import { utf8ToBytes } from "@noble/hashes/utils";
import { serverKeyPair, serverSignatureOf, signAnswer, verifyAnswer } from "./server-key.ts";
import { signHeartbeatAnswer, wireJson } from "./signed-answer.ts";
import { signResponse, verifyResponse } from "./signing.ts";
import { canonicalJson } from "./canonical-json.ts";

const key = serverKeyPair(new Uint8Array(32).fill(7));
const SECRET = "s3cret-of-the-phone";

/** The plain path: sign with Ed25519, then HMAC, then serialise for the wire. */
const plain = (answer: object, withKey: boolean) => signResponse(withKey ? signAnswer(key, answer) : answer, SECRET);

// A lock answer: `command` out of canonical order (id, type, message, contact, amountDue), as the handler builds it.
const lockAnswer = {
  command: { id: "cmd-3", type: "lock", message: "Pay to unlock \u2014 \"now\"", contact: { phone: "+4930123456" }, amountDue: [{ amount: "12.50", currency: "EUR" }] },
  nextHeartbeatAt: "2026-12-02T12:15:00.000Z",
  nonce: "n7-\u00e9\ud83d\ude00",
  policy: { heartbeatInterval: "PT6H", lockedHeartbeatInterval: "PT15M", offlineLockAfter: "P30D", offlineWarningBefore: "P3D" },
  serverTime: "2026-12-02T12:00:00.000Z",
  standing: "overdue",
};

describe("a heartbeat answer signed from one serialisation", () => {
  it("gives the plain path's object and wire bytes, with and without the pinned key", () => {
    for (const withKey of [true, false]) {
      const signed = signHeartbeatAnswer(lockAnswer, SECRET, withKey ? key : undefined);
      const reference = plain(lockAnswer, withKey);
      expect(signed).toEqual(reference);
      expect(wireJson(signed)).toBe(JSON.stringify(reference));
      expect(verifyResponse(signed, SECRET)).toBe(true);
      if (withKey) expect(verifyAnswer(key.publicKey, signed)).toBe(true);
    }
  });

  it("agrees with the plain path on any object, keys in any order, undefined members and integer-like keys included", () => {
    const member = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), member), fc.boolean(), (answer, withKey) => {
        const signed = signHeartbeatAnswer(answer, SECRET, withKey ? key : undefined);
        const reference = plain(answer, withKey);
        expect(signed).toEqual(reference);
        expect(wireJson(signed)).toBe(JSON.stringify(reference));
      }),
      { numRuns: 200 },
    );
  });

  it("agrees with the plain path on answers already in canonical order (the service's), members on either side of serverSignature", () => {
    // Objects rebuilt with their keys sorted at every level, as the service builds a heartbeat answer.
    const sortDeep = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortDeep);
      if (value === null || typeof value !== "object") return value;
      const out: Record<string, unknown> = {};
      for (const name of Object.keys(value).sort()) out[name] = sortDeep((value as Record<string, unknown>)[name]);
      return out;
    };
    const name = fc.oneof(fc.string(), fc.constantFrom("a", "serverSignatur", "serverSignaturf", "serverTime", "standing", "z", "\u00e9"));
    fc.assert(
      fc.property(fc.dictionary(name, fc.jsonValue()), (raw) => {
        const answer = sortDeep(raw) as Record<string, unknown>;
        const signed = signHeartbeatAnswer(answer, SECRET, key);
        const reference = plain(answer, true);
        expect(signed).toEqual(reference);
        expect(wireJson(signed)).toBe(JSON.stringify(reference));
      }),
      { numRuns: 300 },
    );
    for (const answer of [{}, { a: 1 }, { z: 1 }, { serverTime: "t", standing: "good" }, sortDeep(lockAnswer) as object]) {
      expect(wireJson(signHeartbeatAnswer(answer, SECRET, key))).toBe(JSON.stringify(plain(answer, true)));
    }
  });

  it("gives the plain path's object and wire bytes for an answer already in canonical order (the routine one)", () => {
    const routine = { ...lockAnswer, command: { id: "none", type: "none" }, standing: "good" };
    const keyed = { a: 1, nonce: "n", policy: { x: "1" }, serverTime: "t", signaturf: 2, zz: [1, { a: 1, b: 2 }] };
    for (const answer of [routine, keyed, {}, { __proto__: 1, z: 2 } as object]) {
      for (const withKey of [true, false]) {
        const signed = signHeartbeatAnswer(answer, SECRET, withKey ? key : undefined);
        const reference = plain(answer, withKey);
        expect(signed).toEqual(reference);
        expect(Object.keys(signed)).toEqual(Object.keys(reference));
        expect(wireJson(signed)).toBe(JSON.stringify(reference));
        expect(verifyResponse(signed, SECRET)).toBe(true);
        if (withKey) expect(verifyAnswer(key.publicKey, signed)).toBe(true);
      }
    }
  });

  it("leaves any other body to JSON.stringify", () => {
    const body = { b: 1, a: [2] };
    expect(wireJson(body)).toBe(JSON.stringify(body));
    expect(wireJson(undefined)).toBe(JSON.stringify(undefined));
  });
});

describe("the Ed25519 serverSignature of a text", () => {
  it("is the portable (@noble/curves) signature of its UTF-8 bytes, non-ASCII and lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const portable = Buffer.from(ed25519.sign(utf8ToBytes(text), key.seed)).toString("base64url");
        expect(serverSignatureOf(key, text)).toBe(portable);
      }),
      { numRuns: 50 },
    );
    expect(serverSignatureOf(key, "n7-\u00e9\ud83d\ude00 \ud800")).toBe(Buffer.from(ed25519.sign(utf8ToBytes("n7-\u00e9\ud83d\ude00 \ud800"), key.seed)).toString("base64url"));
  });
});

describe("verifying an answer this process has just signed", () => {
  const other = serverKeyPair(new Uint8Array(32).fill(9));

  it("accepts it unchanged, and still refuses it changed, re-signed by another key, forged, or checked against another pinned key", () => {
    const signed = signAnswer(key, lockAnswer);
    expect(verifyAnswer(key.publicKey, signed)).toBe(true);
    expect(verifyAnswer(key.publicKey, JSON.parse(JSON.stringify(signed)))).toBe(true); // as a phone reads it off the wire
    expect(verifyAnswer(key.publicKey, { ...signed, standing: "good" })).toBe(false);
    expect(verifyAnswer(other.publicKey, signed)).toBe(false);
    expect(verifyAnswer(key.publicKey, signAnswer(other, lockAnswer))).toBe(false);
    const flipped = signed.serverSignature.startsWith("A") ? `B${signed.serverSignature.slice(1)}` : `A${signed.serverSignature.slice(1)}`;
    expect(verifyAnswer(key.publicKey, { ...signed, serverSignature: flipped })).toBe(false);
  });

  it("files a signature under the key that made it: a pair carrying another's public key cannot pass for it", () => {
    const impostor = { seed: other.seed, publicKey: key.publicKey };
    expect(verifyAnswer(key.publicKey, signAnswer(impostor, lockAnswer))).toBe(false);
  });

  it("gives the verdict a fresh verification gives, for any answer and any tampering", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 5 }), fc.string({ maxLength: 12 }), (answer, change) => {
        const signed = signAnswer(key, answer);
        const tampered = { ...signed, extra: change };
        const fresh = (value: object) => ed25519.verify(Buffer.from((value as { serverSignature: string }).serverSignature, "base64url"), utf8ToBytes(canonicalJson(withoutSignatures(value))), Buffer.from(key.publicKey, "base64url"));
        expect(verifyAnswer(key.publicKey, signed)).toBe(fresh(signed));
        expect(verifyAnswer(key.publicKey, tampered)).toBe(fresh(tampered));
      }),
      { numRuns: 50 },
    );
  });
});

function withoutSignatures(value: object): Record<string, unknown> {
  const { serverSignature: _s, signature: _h, ...rest } = value as Record<string, unknown>;
  return rest;
}
