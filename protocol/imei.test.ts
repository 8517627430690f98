import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { imeiFrom, isValidImei, luhnCheckDigit } from "./imei.ts";

describe("IMEI check digits", () => {
  it("accepts a well-known valid IMEI and rejects it with any other last digit", () => {
    expect(isValidImei("490154203237518")).toBe(true);
    for (let d = 0; d <= 9; d++) if (d !== 8) expect(isValidImei(`49015420323751${d}`)).toBe(false);
  });

  it("rejects anything that is not exactly 15 digits", () => {
    for (const bad of ["", "49015420323751", "4901542032375180", "49015420323751a", " 490154203237518"]) {
      expect(isValidImei(bad)).toBe(false);
    }
  });

  it("builds a valid IMEI from any 14-digit body, and a single changed digit breaks it", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{14}$/), fc.nat(13), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const imei = imeiFrom(body);
        expect(isValidImei(imei)).toBe(true);
        const changed = body.slice(0, pos) + String((Number(body[pos]) + delta) % 10) + body.slice(pos + 1);
        expect(luhnCheckDigit(changed)).not.toBe(luhnCheckDigit(body));
      }),
    );
  });
});
