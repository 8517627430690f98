import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import type { Millis } from "./clock.ts";

export interface BusinessCalendarOptions {
  /** IANA zone, e.g. "Europe/Berlin". Default "UTC". */
  timeZone?: string;
  /** Local dates "YYYY-MM-DD" in that zone on which nothing is processed. */
  holidays?: string[];
  /** Days of the week that are never business days, 0 = Sunday … 6 = Saturday. Default [6, 0]. */
  weekend?: number[];
  /** Local opening and closing time, "HH:mm" (closing may be "24:00"). Default 09:00–17:00. */
  businessHours?: { start: string; end: string };
}

export class InvalidCalendar extends Error {
  readonly code = "invalid_calendar";
  constructor(message: string) {
    super(message);
    this.name = "InvalidCalendar";
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * When a lender's back office works: business days (not weekend, not a holiday) between opening and closing
 * time, in one time zone. "Paid Friday evening, processed Monday morning" comes from here.
 *
 * All day and hour arithmetic happens on local calendar dates and local wall times, converted to instants only
 * at the end, so a DST change never shifts an opening hour: 09:00 stays 09:00 local on both sides of it.
 * Business time is the real elapsed time between opening and closing (a DST switch inside business hours —
 * which no European or American zone has — would make that day an hour shorter or longer).
 */
export class BusinessCalendar {
  readonly timeZone: string;
  private readonly holidays: ReadonlySet<string>;
  private readonly weekend: ReadonlySet<number>;
  /** Opening and closing time in minutes after local midnight. */
  private readonly open: number;
  private readonly close: number;

  constructor(opts: BusinessCalendarOptions = {}) {
    this.timeZone = validateTimeZone(opts.timeZone ?? "UTC");
    this.holidays = new Set((opts.holidays ?? []).map(validateHoliday));
    const weekend = opts.weekend ?? [6, 0];
    for (const day of weekend) {
      if (!Number.isInteger(day) || day < 0 || day > 6) {
        throw new InvalidCalendar(`weekend days are 0 (Sunday) to 6 (Saturday), got ${day}`);
      }
    }
    this.weekend = new Set(weekend);
    // With no working weekday, adding business time would search forever.
    if (this.weekend.size === 7) throw new InvalidCalendar("a calendar needs at least one working day in the week");
    const hours = opts.businessHours ?? { start: "09:00", end: "17:00" };
    this.open = parseClock(hours.start, "business hours start", false);
    this.close = parseClock(hours.end, "business hours end", true);
    if (this.open >= this.close) {
      throw new InvalidCalendar(`business hours must open before they close, got ${hours.start}–${hours.end}`);
    }
  }

  /** Whether `at`'s local date is neither a weekend day nor a holiday. */
  isBusinessDay(at: Millis): boolean {
    return this.isBusinessDate(this.localDate(at));
  }

  /** Whether `at` is on a business day, at or after opening and before closing. */
  isBusinessTime(at: Millis): boolean {
    const date = this.localDate(at);
    return this.isBusinessDate(date) && this.at(date, this.open) <= at && at < this.at(date, this.close);
  }

  /**
   * Adds `ms` of business time: only time inside business hours on business days counts.
   *
   * Boundaries: work that ends exactly at closing time ends then (Tuesday 17:00, not Wednesday 09:00), so the
   * result of a positive `ms` is inside business time or exactly at a closing time. Adding 0 ms returns `at`
   * unchanged even outside business hours — no work, no waiting; use nextBusinessDayAt to wait for an opening.
   */
  addBusinessTime(at: Millis, ms: Millis): Millis {
    if (!Number.isFinite(at)) throw new RangeError(`at must be a finite time, got ${at}`);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`business time to add must be finite and >= 0, got ${ms}`);
    if (ms === 0) return at;
    let remaining = ms;
    // Terminates: every week has a working day, holidays are finite, and each business day consumes time.
    for (let date = this.localDate(at); ; date = nextDate(date)) {
      if (!this.isBusinessDate(date)) continue;
      const from = Math.max(at, this.at(date, this.open));
      const until = this.at(date, this.close);
      if (from >= until) continue;
      if (remaining <= until - from) return from + remaining;
      remaining -= until - from;
    }
  }

  /** Length of one business day in ms (closing minus opening; 8 h by default). */
  businessDayLength(): Millis {
    return (this.close - this.open) * 60_000;
  }

  /** `time` ("HH:mm") local on the first business day whose date is after `at`'s local date. */
  nextBusinessDayAt(at: Millis, time: string): Millis {
    const minutes = parseClock(time, "time", false);
    let date = nextDate(this.localDate(at));
    while (!this.isBusinessDate(date)) date = nextDate(date);
    return this.at(date, minutes);
  }

  /** Local calendar date "YYYY-MM-DD" of `at` in the zone. */
  localDate(at: Millis): string {
    return format(new TZDate(at, this.timeZone), "yyyy-MM-dd");
  }

  /** Local wall time "YYYY-MM-DDTHH:mm" of `at` in the zone (for reports and tests). */
  localDateTime(at: Millis): string {
    return format(new TZDate(at, this.timeZone), "yyyy-MM-dd'T'HH:mm");
  }

  /**
   * Parses a local wall time "2026-03-06T18:00" (seconds optional) in this zone to epoch ms. Around DST: a time
   * that does not exist (skipped by spring-forward) moves forward by the gap (02:30 → 03:30); a time that occurs
   * twice (fall-back) resolves to its second occurrence. Scenarios should simply avoid those hours.
   */
  localTime(text: string): Millis {
    const match = LOCAL.exec(text);
    const date = match?.[1];
    if (match === null || date === undefined || validDate(date) === undefined) {
      throw new InvalidCalendar(`expected a local time like 2026-03-06T18:00, got ${JSON.stringify(text)}`);
    }
    const hours = Number(match[2]);
    const minutes = Number(match[3]);
    const seconds = Number(match[4] ?? "0");
    if (hours > 23 || minutes > 59 || seconds > 59) {
      throw new InvalidCalendar(`expected a local time like 2026-03-06T18:00, got ${JSON.stringify(text)}`);
    }
    return this.at(date, hours * 60 + minutes) + seconds * 1000;
  }

  private isBusinessDate(date: string): boolean {
    return !this.weekend.has(dayOfWeek(date)) && !this.holidays.has(date);
  }

  /** The instant of local wall time `minutes` after midnight on local `date` (24:00 is the next midnight). */
  private at(date: string, minutes: number): Millis {
    const [year, month, day] = validDate(date) ?? [Number.NaN, Number.NaN, Number.NaN];
    return new TZDate(year, month - 1, day, Math.floor(minutes / 60), minutes % 60, this.timeZone).getTime();
  }
}

/** Zones already checked: asking Intl costs ~0.2 ms, and every scenario run builds a calendar. */
const knownZones = new Map<string, string>();

/** Intl knows the IANA database; TZDate alone would quietly produce Invalid Dates for a misspelt zone. */
function validateTimeZone(zone: string): string {
  const known = knownZones.get(zone);
  if (known !== undefined) return known;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    // Intl canonicalises aliases ("Asia/Kolkata" → "Asia/Calcutta"); the author's spelling is what people
    // read, so keep it, and take Intl's only to fix the case ("europe/berlin" → "Europe/Berlin").
    const shown = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
    knownZones.set(zone, shown);
    return shown;
  } catch {
    throw new InvalidCalendar(`unknown time zone ${JSON.stringify(zone)}; use an IANA name such as "Europe/Berlin"`);
  }
}

function validateHoliday(date: string): string {
  if (validDate(date) === undefined) {
    throw new InvalidCalendar(`holidays are local dates "YYYY-MM-DD", got ${JSON.stringify(date)}`);
  }
  return date;
}

/** [year, month 1-12, day] of a real calendar date "YYYY-MM-DD", or undefined (so 2026-02-30 is refused). */
function validDate(date: string): [number, number, number] | undefined {
  const match = DATE.exec(date);
  if (match === null) return undefined;
  const parts: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [year, month, day] = parts;
  const check = new Date(Date.UTC(year, month - 1, day));
  const valid = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
  return valid ? parts : undefined;
}

/** Minutes after midnight for "HH:mm"; "24:00" only where a closing time is meant. */
function parseClock(text: string, what: string, allowMidnightEnd: boolean): number {
  const match = TIME.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const ok =
    match !== null && minutes <= 59 && (hours <= 23 || (allowMidnightEnd && hours === 24 && minutes === 0));
  if (!ok) throw new InvalidCalendar(`${what} must be a local time "HH:mm", got ${JSON.stringify(text)}`);
  return hours * 60 + minutes;
}

// Calendar dates have no zone: stepping from one to the next is plain UTC date arithmetic.

function nextDate(date: string): string {
  const [year, month, day] = validDate(date) ?? [Number.NaN, Number.NaN, Number.NaN];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

function dayOfWeek(date: string): number {
  const [year, month, day] = validDate(date) ?? [Number.NaN, Number.NaN, Number.NaN];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
