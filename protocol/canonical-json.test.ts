import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

/** The definition, written as plainly as possible: sorted keys, no spaces, undefined members dropped. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : reference(item))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) as string;
}

describe("canonical JSON", () => {
  it("gives the same text as the definition for any JSON value, keys in any order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
  });

  it("sorts integer-like keys as strings, as the definition says, not as JavaScript enumerates them", () => {
    expect(canonicalJson({ b: 1, 10: "x", 9: "y", a: [{ z: 1, y: undefined }] })).toBe('{"10":"x","9":"y","a":[{"z":1}],"b":1}');
  });

  it("writes only own keys, as JSON.stringify does, when an object also inherits enumerable ones", () => {
    const inherits = Object.assign(Object.create({ zInherited: 1, a: "shadowed" }) as Record<string, unknown>, { b: 2, a: 1 });
    expect(canonicalJson(inherits)).toBe('{"a":1,"b":2}');
    expect(canonicalJson({ outer: Object.assign(Object.create({ x: 1 }) as object, { y: 2 }) })).toBe('{"outer":{"y":2}}');
  });

  it("leaves out undefined members and writes undefined array items as null", () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe('{"a":[null,1]}');
  });

  it("uses an object already in canonical order as it is", () => {
    expect(canonicalJson({ command: { id: "c1", type: "none" }, nonce: "n", standing: "good" })).toBe('{"command":{"id":"c1","type":"none"},"nonce":"n","standing":"good"}');
  });
});
