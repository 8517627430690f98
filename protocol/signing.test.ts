import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHmac } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";
import { constantTimeEqual, hmacBase64url, hmacSha256, portableHmacSha256, signResponse, verifyResponse } from "./signing.ts";
import { offlineCodeFor } from "./offline-code.ts";

describe("canonical JSON", () => {
  it("sorts keys at every depth and leaves no spaces", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: "x y" } })).toBe(
      '{"a":{"c":"x y","d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("leaves out undefined members, as JSON.stringify does", () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('keeps a "__proto__" member when it reorders keys (fast-check found it dropped)', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":2}}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":2},"b":1}');
  });

  it("parses back to the same value for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("heartbeat signatures", () => {
  const body = { serverTime: "2026-03-02T09:00:00.000Z", standing: "good", nonce: "n-123456", command: { id: "none", type: "none" } };

  it("match an independent HMAC-SHA256 computed with node:crypto, as a client author would write it", () => {
    const signed = signResponse(body, "s3cret");
    const expected = createHmac("sha256", "s3cret").update(canonicalJson(body)).digest("base64url");
    expect(signed.signature).toBe(expected);
  });

  it("verify under the right secret and fail under another secret or after any change", () => {
    const signed = signResponse(body, "s3cret");
    expect(verifyResponse(signed, "s3cret")).toBe(true);
    expect(verifyResponse(signed, "other")).toBe(false);
    expect(verifyResponse({ ...signed, standing: "default" }, "s3cret")).toBe(false);
  });

  it("come out the same from node:crypto and from the pure-JavaScript fallback a browser uses", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (secret, message) => {
        expect(portableHmacSha256(secret, message)).toEqual(hmacSha256(secret, message));
      }),
    );
  });

  it("are never reused from the memo of recent MACs for another secret or another text", () => {
    // A few secrets and texts that differ by one character, hashed in any order and repeated: the memo that
    // spares the phone the service's hash must give exactly what a fresh HMAC gives, every time.
    const secrets = ["s3cret", "s3creT", "other", ""];
    const texts = ['{"standing":"good"}', '{"standing":"goo"}', '{"standing":"default"}', ""];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...secrets), fc.constantFrom(...texts)), { maxLength: 40 }), (calls) => {
        for (const [secret, text] of calls) {
          expect(hmacBase64url(secret, text)).toBe(createHmac("sha256", secret).update(text).digest("base64url"));
        }
      }),
    );
    const signed = signResponse(body, "s3cret");
    // The genuine MAC of this text is in the memo now: a forged signature on the same text is still refused.
    expect(verifyResponse({ ...signed, signature: hmacBase64url("forger", canonicalJson(body)) }, "s3cret")).toBe(false);
    expect(verifyResponse(signed, "s3cret")).toBe(true);
  });

  it("compare strings without short-circuiting on the first difference", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});

describe("offline codes", () => {
  it("are 8 digits, the same for the same challenge and secret, and ignore dashes and case", () => {
    const code = offlineCodeFor("ab12-cd34", "secret-1");
    expect(code).toMatch(/^\d{8}$/);
    expect(offlineCodeFor("AB12CD34", "secret-1")).toBe(code);
    expect(offlineCodeFor("AB12CD34", "secret-2")).not.toBe(code);
  });
});
