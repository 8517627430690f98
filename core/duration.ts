import { DAY, HOUR, MINUTE, SECOND } from "./clock.ts";
import type { Millis } from "./clock.ts";

/**
 * ISO-8601 durations as the protocol writes them: PT6H, PT15M, P30D, PT90S, P1DT2H30M, PT0.5S.
 *
 * Only days, hours, minutes and seconds. A day is exactly 24 h — the protocol's grace periods are elapsed time,
 * not calendar arithmetic (business days are the calendar's job). Years, months and weeks are refused rather than
 * guessed: a month is 28 to 31 days, and silently picking one would move a lock by days.
 */
export class InvalidDuration extends Error {
  readonly code = "invalid_duration";
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`invalid duration ${JSON.stringify(text)}: ${reason}`);
    this.name = "InvalidDuration";
  }
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const PATTERN = new RegExp(`^P(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);
const UNITS = [DAY, HOUR, MINUTE, SECOND] as const;

/**
 * Parsed durations, by text. A run uses a handful of distinct durations (the policy's four, a grace
 * period) but parses them on every heartbeat, on both sides, through the schemas; exact BigInt maths is
 * not cheap. Bounded, so arbitrary input cannot grow it without limit.
 */
const parsed = new Map<string, Millis>();
const PARSED_LIMIT = 256;

export function parseDuration(text: string): Millis {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const ms = parseUncached(text);
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(text, ms);
  return ms;
}

/** No duration the protocol needs is longer than this; a longer text is refused before the pattern runs. */
export const MAX_DURATION_TEXT = 40;

function parseUncached(text: string): Millis {
  if (text.length > MAX_DURATION_TEXT) throw new InvalidDuration(text.slice(0, MAX_DURATION_TEXT) + "…", `it is longer than ${MAX_DURATION_TEXT} characters`);
  const match = PATTERN.exec(text);
  if (match === null) throw new InvalidDuration(text, explain(text));
  const parts = match.slice(1, 5);
  const present = parts.flatMap((part, index) => (part === undefined ? [] : [index]));
  if (present.length === 0) throw new InvalidDuration(text, "it has no components; write e.g. PT0S for zero");
  if (text.endsWith("T")) throw new InvalidDuration(text, "a 'T' must be followed by hours, minutes or seconds");
  const last = present[present.length - 1];
  let total = 0n;
  for (const index of present) {
    const part = parts[index] ?? "0";
    const unit = BigInt(UNITS[index] ?? 0);
    const [whole = "0", fraction = ""] = part.split(".");
    if (fraction !== "" && index !== last) {
      throw new InvalidDuration(text, "only the last component may have a fraction (ISO 8601)");
    }
    const scale = 10n ** BigInt(fraction.length);
    const fractionMs = BigInt(fraction || "0") * unit;
    if (fractionMs % scale !== 0n) throw new InvalidDuration(text, "it is finer than a millisecond");
    total += BigInt(whole) * unit + fractionMs / scale;
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidDuration(text, "it is too long");
  return Number(total);
}

export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Canonical form: days, hours, minutes and seconds balanced into their largest units, zero parts left out,
 * milliseconds as a seconds fraction. 90 s → "PT1M30S", 36 h → "P1DT12H", 0 → "PT0S".
 */
export function formatDuration(ms: Millis): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`a duration is a whole number of milliseconds >= 0, got ${ms}`);
  }
  if (ms === 0) return "PT0S";
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  const millis = ms % SECOND;
  let time = "";
  if (hours > 0) time += `${hours}H`;
  if (minutes > 0) time += `${minutes}M`;
  if (seconds > 0 || millis > 0) {
    const fraction = millis > 0 ? `.${String(millis).padStart(3, "0").replace(/0+$/, "")}` : "";
    time += `${seconds}${fraction}S`;
  }
  return `P${days > 0 ? `${days}D` : ""}${time === "" ? "" : `T${time}`}`;
}

/** Why a text that fails the pattern fails, in words a scenario author can act on. */
function explain(text: string): string {
  if (text.startsWith("-")) return "negative durations are not supported";
  const datePart = text.startsWith("P") ? (text.slice(1).split("T")[0] ?? "") : "";
  if (/[YMW]/i.test(datePart)) {
    return "years, months and weeks are not supported because their length is ambiguous; use days (a day is exactly 24 h), e.g. P30D";
  }
  return "expected an ISO-8601 duration in days, hours, minutes and seconds, e.g. PT6H, PT15M, P3D, PT90S, P1DT2H30M, PT0.5S";
}
