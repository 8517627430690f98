import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BusinessCalendar, InvalidCalendar } from "./calendar.ts";
import { HOUR, MINUTE, iso } from "./clock.ts";

const berlin = new BusinessCalendar({ timeZone: "Europe/Berlin" });
/** Business time added to a local Berlin time, read back as a local Berlin time. */
const add = (cal: BusinessCalendar, local: string, ms: number): string =>
  cal.localDateTime(cal.addBusinessTime(cal.localTime(local), ms));

describe("BusinessCalendar in Europe/Berlin, 09:00–17:00", () => {
  it("reads local times in the zone", () => {
    expect(iso(berlin.localTime("2026-03-06T18:00"))).toBe("2026-03-06T17:00:00.000Z");
    expect(iso(berlin.localTime("2026-07-01T09:00:30"))).toBe("2026-07-01T07:00:30.000Z");
    expect(berlin.localDate(Date.UTC(2026, 2, 6, 23, 30))).toBe("2026-03-07");
  });

  it("processes a payment made Friday evening one business hour into Monday", () => {
    const result = berlin.addBusinessTime(berlin.localTime("2026-03-06T18:00"), HOUR);
    expect(iso(result)).toBe("2026-03-09T09:00:00.000Z");
    expect(berlin.localDateTime(result)).toBe("2026-03-09T10:00");
  });

  it("ends two business days from Friday evening at Tuesday's closing time, not Wednesday's opening", () => {
    expect(add(berlin, "2026-03-06T18:00", 16 * HOUR)).toBe("2026-03-10T17:00");
    expect(add(berlin, "2026-03-06T18:00", 16 * HOUR + 1)).toBe("2026-03-11T09:00");
  });

  it("adds business time within the same business day", () => {
    expect(add(berlin, "2026-03-09T10:00", HOUR)).toBe("2026-03-09T11:00");
  });

  it("carries unfinished work over from one evening to the next morning", () => {
    expect(add(berlin, "2026-03-09T16:30", HOUR)).toBe("2026-03-10T09:30");
  });

  it("starts counting at opening time when asked before it", () => {
    expect(add(berlin, "2026-03-09T07:00", 30 * MINUTE)).toBe("2026-03-09T09:30");
  });

  it("skips a holiday on Monday", () => {
    const cal = new BusinessCalendar({ timeZone: "Europe/Berlin", holidays: ["2026-03-09"] });
    expect(add(cal, "2026-03-06T18:00", HOUR)).toBe("2026-03-10T10:00");
    expect(cal.isBusinessDay(cal.localTime("2026-03-09T12:00"))).toBe(false);
  });

  it("does not count weekend days as business days", () => {
    expect(berlin.isBusinessDay(berlin.localTime("2026-03-07T12:00"))).toBe(false);
    expect(berlin.isBusinessDay(berlin.localTime("2026-03-08T12:00"))).toBe(false);
    expect(berlin.isBusinessDay(berlin.localTime("2026-03-06T12:00"))).toBe(true);
  });

  it("treats opening as inside business time and closing as outside", () => {
    expect(berlin.isBusinessTime(berlin.localTime("2026-03-09T09:00"))).toBe(true);
    expect(berlin.isBusinessTime(berlin.localTime("2026-03-09T16:59"))).toBe(true);
    expect(berlin.isBusinessTime(berlin.localTime("2026-03-09T17:00"))).toBe(false);
    expect(berlin.isBusinessTime(berlin.localTime("2026-03-07T12:00"))).toBe(false);
  });

  it("keeps the local opening hour across the spring-forward weekend", () => {
    // Clocks go from 02:00 to 03:00 on Sunday 2026-03-29: Monday 10:00 local is 08:00Z, not 09:00Z.
    const result = berlin.addBusinessTime(berlin.localTime("2026-03-27T18:00"), HOUR);
    expect(berlin.localDateTime(result)).toBe("2026-03-30T10:00");
    expect(iso(result)).toBe("2026-03-30T08:00:00.000Z");
    expect(add(berlin, "2026-03-27T16:00", 2 * HOUR)).toBe("2026-03-30T10:00");
  });

  it("keeps the local opening hour across the fall-back weekend", () => {
    const result = berlin.addBusinessTime(berlin.localTime("2026-10-23T18:00"), HOUR);
    expect(berlin.localDateTime(result)).toBe("2026-10-26T10:00");
    expect(iso(result)).toBe("2026-10-26T09:00:00.000Z");
  });

  it("returns the same instant when adding no business time, even outside business hours", () => {
    const friday = berlin.localTime("2026-03-06T18:00");
    expect(berlin.addBusinessTime(friday, 0)).toBe(friday);
  });

  it("refuses negative business time", () => {
    expect(() => berlin.addBusinessTime(0, -1)).toThrow(RangeError);
  });

  it("has an eight-hour business day by default", () => {
    expect(berlin.businessDayLength()).toBe(8 * HOUR);
  });

  it("finds the next business day's opening after a Friday, whatever the time", () => {
    for (const friday of ["2026-03-06T08:00", "2026-03-06T12:00", "2026-03-06T23:59"]) {
      expect(berlin.localDateTime(berlin.nextBusinessDayAt(berlin.localTime(friday), "09:00"))).toBe("2026-03-09T09:00");
    }
    expect(berlin.localDateTime(berlin.nextBusinessDayAt(berlin.localTime("2026-03-09T08:00"), "09:00"))).toBe(
      "2026-03-10T09:00",
    );
  });

  it("moves a local time skipped by spring-forward forward by the gap and takes the second of a repeated one", () => {
    expect(berlin.localDateTime(berlin.localTime("2026-03-29T02:30"))).toBe("2026-03-29T03:30");
    expect(iso(berlin.localTime("2026-10-25T02:30"))).toBe("2026-10-25T01:30:00.000Z");
  });
});

describe("BusinessCalendar configuration", () => {
  it("defaults to UTC, Saturday and Sunday off, 09:00–17:00", () => {
    const cal = new BusinessCalendar();
    expect(cal.timeZone).toBe("UTC");
    expect(iso(cal.addBusinessTime(Date.UTC(2026, 2, 6, 18), HOUR))).toBe("2026-03-09T10:00:00.000Z");
  });

  it("honours another weekend and other business hours", () => {
    const cal = new BusinessCalendar({
      timeZone: "Asia/Dubai",
      weekend: [0, 6],
      businessHours: { start: "08:00", end: "24:00" },
    });
    expect(cal.businessDayLength()).toBe(16 * HOUR);
    expect(add(cal, "2026-03-06T23:00", 2 * HOUR)).toBe("2026-03-09T09:00");
    const friday = new BusinessCalendar({ timeZone: "Asia/Riyadh", weekend: [5, 6] });
    expect(add(friday, "2026-03-05T16:30", HOUR)).toBe("2026-03-08T09:30");
  });

  it("refuses an unknown time zone with a clear error", () => {
    expect(() => new BusinessCalendar({ timeZone: "Europe/Berlinn" })).toThrow(/unknown time zone "Europe\/Berlinn"/);
  });

  it("refuses holidays that are not real local dates", () => {
    for (const bad of ["2026-3-9", "09.03.2026", "2026-02-30", "2026-03-09T00:00"]) {
      expect(() => new BusinessCalendar({ holidays: [bad] })).toThrow(InvalidCalendar);
    }
  });

  it("refuses impossible weekends and business hours", () => {
    expect(() => new BusinessCalendar({ weekend: [0, 1, 2, 3, 4, 5, 6] })).toThrow(/at least one working day/);
    expect(() => new BusinessCalendar({ weekend: [7] })).toThrow(InvalidCalendar);
    expect(() => new BusinessCalendar({ businessHours: { start: "17:00", end: "09:00" } })).toThrow(/open before/);
    expect(() => new BusinessCalendar({ businessHours: { start: "9:00", end: "17:00" } })).toThrow(/HH:mm/);
  });

  it("refuses malformed local times", () => {
    for (const bad of ["2026-03-06 18:00", "2026-03-06T25:00", "2026-02-30T10:00", "2026-03-06"]) {
      expect(() => berlin.localTime(bad)).toThrow(InvalidCalendar);
    }
  });
});

describe("BusinessCalendar properties", () => {
  const zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago"];
  const start = Date.UTC(2026, 0, 1);
  const instant = fc.integer({ min: start, max: start + 400 * 24 * HOUR });
  const holidays = fc.uniqueArray(
    fc.integer({ min: 0, max: 420 }).map((d) => new Date(start + d * 24 * HOUR).toISOString().slice(0, 10)),
    { maxLength: 30 },
  );
  const calendar = fc
    .tuple(fc.constantFrom(...zones), holidays)
    .map(([timeZone, days]) => new BusinessCalendar({ timeZone, holidays: days }));
  const amount = fc.integer({ min: 0, max: 200 * HOUR });

  it("never moves backwards and lands inside business time or exactly at a closing time", () => {
    fc.assert(
      fc.property(calendar, instant, amount, (cal, at, ms) => {
        const result = cal.addBusinessTime(at, ms);
        expect(result).toBeGreaterThanOrEqual(at);
        if (ms > 0) {
          const closing = cal.localTime(`${cal.localDate(result)}T17:00`);
          expect(cal.isBusinessTime(result) || (result === closing && cal.isBusinessDay(result))).toBe(true);
        }
      }),
    );
  });

  it("adds in pieces the same as in one go", () => {
    fc.assert(
      fc.property(calendar, instant, amount, amount, (cal, at, a, b) => {
        expect(cal.addBusinessTime(cal.addBusinessTime(at, a), b)).toBe(cal.addBusinessTime(at, a + b));
      }),
    );
  });

  it("gives more business time a result at least as late", () => {
    fc.assert(
      fc.property(calendar, instant, amount, amount, (cal, at, a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        expect(cal.addBusinessTime(at, less)).toBeLessThanOrEqual(cal.addBusinessTime(at, more));
      }),
    );
  });
});
