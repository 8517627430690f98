import { BusinessCalendar } from "../core/calendar.ts";
import type { Millis } from "../core/clock.ts";

/** Where `heartlock serve` opens the free stage when nobody says: its file's Monday, 2 March 2026, 09:00. */
export const FIXED_START_TEXT = "2026-03-02T09:00";

export class InvalidStart extends Error {
  constructor(text: string) {
    super(
      `--start / HEARTLOCK_START: "${text}" is not a start time; use "now", a local time in the stage's zone like 2026-03-06T17:00, or an ISO time with its offset like 2026-03-06T16:00:00Z`,
    );
    this.name = "InvalidStart";
  }
}

/**
 * The free stage's start from `--start` or HEARTLOCK_START. Pure: the wall's "now" is passed in. Absent means
 * the fixed Monday morning (undefined: the stage file's own start), so a workshop or a black-box QA script sees
 * the same dates at every hour it runs; "now" is the current time; anything else is a local time in the
 * stage's zone, or an ISO time with an offset.
 */
export function resolveStart(text: string | undefined, timeZone: string, now: Millis): Millis | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === "") return undefined;
  if (trimmed.toLowerCase() === "now") return now;
  if (/(Z|[+-]\d\d:?\d\d)$/i.test(trimmed) && /^\d{4}-\d\d-\d\dT/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) throw new InvalidStart(trimmed);
    return at;
  }
  try {
    return new BusinessCalendar({ timeZone }).localTime(trimmed);
  } catch {
    throw new InvalidStart(trimmed);
  }
}
