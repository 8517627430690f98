import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, SECOND } from "./clock.ts";
import { InvalidDuration, formatDuration, isDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    ["PT6H", 6 * HOUR],
    ["PT15M", 15 * MINUTE],
    ["P30D", 30 * DAY],
    ["P3D", 3 * DAY],
    ["PT90S", 90 * SECOND],
    ["P1DT2H30M", DAY + 2 * HOUR + 30 * MINUTE],
    ["PT0.5S", 500],
    ["PT1.5H", 90 * MINUTE],
    ["PT0S", 0],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("refuses years, months and weeks and says their length is ambiguous", () => {
    for (const text of ["P1Y", "P1M", "P2W", "P1Y2M3DT4H"]) {
      expect(() => parseDuration(text)).toThrow(/years, months and weeks are not supported.*ambiguous/);
    }
  });

  it.each(["", "P", "PT", "P1DT", "6h", "PT6h", "pt6h", "-PT6H", "PT1.5H30M", "PT0.0001S", "PT6H ", "P1D2H", "PT1,5S"])(
    "refuses %j with an InvalidDuration",
    (text) => {
      expect(() => parseDuration(text)).toThrow(InvalidDuration);
      expect(isDuration(text)).toBe(false);
    },
  );

  it("accepts what it can read", () => {
    expect(isDuration("P1DT2H30M")).toBe(true);
  });
});

describe("formatDuration", () => {
  it.each([
    [6 * HOUR, "PT6H"],
    [3 * DAY, "P3D"],
    [0, "PT0S"],
    [90 * SECOND, "PT1M30S"],
    [DAY + 2 * HOUR + 30 * MINUTE, "P1DT2H30M"],
    [500, "PT0.5S"],
    [1_250, "PT1.25S"],
    [DAY + 1, "P1DT0.001S"],
  ])("writes %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("refuses negative and fractional milliseconds", () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(0.5)).toThrow(RangeError);
  });

  it("round-trips every whole number of milliseconds through its text", () => {
    fc.assert(
      fc.property(fc.nat({ max: 400 * DAY }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it("turns any text it can read into the canonical text of the same length of time", () => {
    const part = (unit: string) => fc.option(fc.nat({ max: 200 }).map((n) => `${n}${unit}`), { nil: "" });
    const text = fc
      .tuple(part("D"), part("H"), part("M"), part("S"))
      .map(([d, h, m, s]) => `P${d}${h + m + s === "" ? "" : `T${h}${m}${s}`}`)
      .filter((t) => t !== "P");
    fc.assert(
      fc.property(text, (t) => {
        const canonical = formatDuration(parseDuration(t));
        expect(parseDuration(canonical)).toBe(parseDuration(t));
        expect(formatDuration(parseDuration(canonical))).toBe(canonical);
      }),
    );
  });
});
