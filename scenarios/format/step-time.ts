import type { BusinessCalendar } from "../../core/calendar.ts";
import type { Millis } from "../../core/clock.ts";

/**
 * Turns a step's `at:` into an instant. A zoned ISO time is absolute; a bare one is local to the scenario's
 * zone; "next business day 09:00" and "next friday 18:00" count from the previous step's local date, so a
 * scenario reads like the week it tells ("paid Friday evening, checked Monday morning").
 */
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

const ZONED = /(Z|[+-]\d\d:\d\d)$/i;
const RELATIVE = /^next (business day|sunday|monday|tuesday|wednesday|thursday|friday|saturday)(?: (\d\d:\d\d))?$/i;
/** Business-day steps without a time start when the back office opens. */
const DEFAULT_TIME = "09:00";

export function resolveStepTime(text: string, previous: Millis, calendar: BusinessCalendar): Millis {
  const relative = RELATIVE.exec(text.trim());
  if (relative) {
    const which = (relative[1] ?? "").toLowerCase();
    const time = relative[2] ?? DEFAULT_TIME;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) throw new RangeError(`${time} is not a time of day`);
    if (which === "business day") return calendar.nextBusinessDayAt(previous, time);
    return calendar.localTime(`${nextWeekday(calendar.localDate(previous), WEEKDAYS.indexOf(which as (typeof WEEKDAYS)[number]))}T${time}`);
  }
  if (ZONED.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new RangeError(`${text} is not a valid time`);
    return at;
  }
  return calendar.localTime(text);
}

/** The first calendar date after `date` that falls on `weekday` (0 = Sunday); plain date arithmetic. */
function nextWeekday(date: string, weekday: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() !== weekday);
  return day.toISOString().slice(0, 10);
}
