import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localTime } from "./time.ts";

/** What Intl itself says the local time is: the oracle, independent of the machine's own zone. */
function intlLocalTime(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute}`;
}

// Whole-hour, half-hour and 45-minute zones, both hemispheres' DST, a 30-minute DST (Lord Howe), Dublin's negative
// DST, and zones whose offset changed in these years.
const ZONES = ["UTC", "Europe/Berlin", "Europe/Dublin", "America/Sao_Paulo", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "Australia/Lord_Howe", "Pacific/Chatham", "Africa/Casablanca", "America/Mexico_City", "Asia/Manila"];

describe("localTime", () => {
  it("writes the zone's local weekday, date and time of any instant from 1980 to 2100, as Intl does", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...ZONES), (at, zone) => {
        expect(localTime(new Date(at).toISOString(), zone)).toBe(intlLocalTime(at, zone));
      }),
      { numRuns: 2000 },
    );
  });

  it("is right on both sides of a DST change, minute by minute", () => {
    // Berlin 29 March 2026 02:00 -> 03:00; São Paulo has none now; Lord Howe moves by 30 minutes on 5 April 2026.
    for (const [zone, from] of [["Europe/Berlin", Date.UTC(2026, 2, 29, 0, 30)], ["Australia/Lord_Howe", Date.UTC(2026, 3, 4, 14, 30)]] as const) {
      for (let at = from; at < from + 2 * 3_600_000; at += 60_000) expect(localTime(new Date(at).toISOString(), zone)).toBe(intlLocalTime(at, zone));
    }
    expect(localTime("2026-03-29T00:59:00.000Z", "Europe/Berlin")).toBe("Sun 29 Mar 01:59");
    expect(localTime("2026-03-29T01:00:00.000Z", "Europe/Berlin")).toBe("Sun 29 Mar 03:00");
  });

  it("gives back text that is not a time, and refuses an unknown zone as before", () => {
    expect(localTime("soon", "Europe/Berlin")).toBe("soon");
    expect(() => localTime("2026-03-06T18:00:00.000Z", "Mars/Olympus_Mons")).toThrow(RangeError);
    // The last instant Date holds, east of UTC: no local time exists; the text is what date-fns always wrote.
    const last = Date.parse("+275760-09-13T00:00:00.000Z");
    expect(localTime(new Date(last).toISOString(), "Asia/Tokyo")).toBe(format(new TZDate(last, "Asia/Tokyo"), "EEE d MMM HH:mm"));
  });
});
