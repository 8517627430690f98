import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import { DAY } from "../../core/clock.ts";

/**
 * Simulated times as a workshop reads them: local to the scenario's zone, weekday first ("Fri 6 Mar 18:00"),
 * because business days and evenings are what the story turns on.
 */
export function localTime(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return format(new TZDate(at, timeZone), "EEE d MMM HH:mm");
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
