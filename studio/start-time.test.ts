import { describe, expect, it } from "vitest";
import { InvalidStart, resolveStart } from "./start-time.ts";

describe("where heartlock serve opens the free stage (--start, HEARTLOCK_START)", () => {
  const now = Date.parse("2026-11-22T02:33:17Z");
  it("keeps the fixed Monday 09:00 of the stage file when nobody asks, whatever the hour", () => {
    expect(resolveStart(undefined, "Europe/Berlin", now)).toBeUndefined();
    expect(resolveStart("  ", "Europe/Berlin", now)).toBeUndefined();
  });
  it("opens at the current time for now, at a local time in the stage's zone, or at an ISO time with its offset", () => {
    expect(resolveStart("now", "Europe/Berlin", now)).toBe(now);
    expect(new Date(resolveStart("2026-03-06T17:00", "Europe/Berlin", now) ?? 0).toISOString()).toBe("2026-03-06T16:00:00.000Z");
    expect(new Date(resolveStart("2026-03-06T16:00:00Z", "Europe/Berlin", now) ?? 0).toISOString()).toBe("2026-03-06T16:00:00.000Z");
  });
  it("refuses anything else with a sentence that shows what it takes", () => {
    expect(() => resolveStart("friday", "Europe/Berlin", now)).toThrow(InvalidStart);
    expect(() => resolveStart("2026-13-40T25:00", "Europe/Berlin", now)).toThrow(/2026-03-06T17:00/);
  });
});
