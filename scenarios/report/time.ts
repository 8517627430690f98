import { TZDate, tzOffset } from "@date-fns/tz";
import { format } from "date-fns/format";
import { DAY } from "../../core/clock.ts";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Simulated times as a workshop reads them: local to the scenario's zone, weekday first ("Fri 6 Mar 18:00"),
 * because business days and evenings are what the story turns on.
 *
 * The zone's offset at that instant (one Intl lookup, cached per zone by @date-fns/tz) shifts the instant, and the
 * UTC fields of the shifted time are the local ones: what date-fns' `format(new TZDate(...), "EEE d MMM HH:mm")`
 * writes, at ~5x less cost (a TZDate and format looked the offset up three times). The studio names the time of
 * every event it streams, and the reporters of every line. A zone Intl cannot answer, or a local time past the
 * end of Date's range, takes that old path, which throws or writes what it always did. `time.test.ts` checks the
 * new path against Intl itself.
 */
export function localTime(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const offsetMinutes = tzOffset(timeZone, new Date(at));
  const local = new Date(at + offsetMinutes * 60_000);
  // An unknown zone (no offset), or a local time past the end of Date's range: the old path says what it said.
  if (Number.isNaN(local.getTime())) return format(new TZDate(at, timeZone), "EEE d MMM HH:mm");
  return `${WEEKDAYS[local.getUTCDay()]} ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}`;
}

/** "3.4" simulated days: one decimal is enough to tell a weekend from a month. */
export function days(ms: number): string {
  const rounded = Math.round((ms / DAY) * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** "1 scenario", "2 scenarios". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
