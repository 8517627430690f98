import { IntlMessageFormat } from "intl-messageformat";
import type { Money } from "../protocol/values.ts";
import type { Deck } from "./deck.ts";
import { messageOf } from "./message-of.ts";

/**
 * One deck's words, filled: ICU messages through intl-messageformat (plurals and selects by CLDR rules in
 * the deck's locale), money through Intl.NumberFormat, dates assembled from Intl's parts by the deck's own
 * `format.dateTime` message. Pure; runs in Node and in the gallery's browser page alike.
 */
export type Values = Readonly<Record<string, string | number>>;

export interface Line {
  /** The deck key the words come from, so lint and the gallery can name it. */
  readonly key: string;
  readonly text: string;
  /** The source deck's words were used: this deck lacks the key. */
  readonly fallback?: boolean;
}

export interface Copywriter {
  readonly deck: Deck;
  readonly locale: string;
  readonly dir: "ltr" | "rtl";
  line(key: string, values?: Values): Line;
  text(key: string, values?: Values): string;
  money(amounts: readonly Money[]): string;
  dateTime(at: number, timeZone: string): string;
  time(at: number, timeZone: string): string;
}

/*
 * In a right-to-left deck the values that are left-to-right tokens (a phone number, an email, an IMEI, a dialled
 * number, an example amount) are wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE: without it the bidi
 * algorithm lays "+55 (33) 3521-400001" inside Arabic out as "400001-3521 (33) 55+", and the owner of a locked
 * phone dials the wrong number. The marks are invisible; a value without strong characters is isolated left to
 * right. Words (a lender's name, a weekday) are left to the algorithm.
 */
const FSI = "\u2068";
const PDI = "\u2069";
const LTR_TOKENS = new Set(["phone", "email", "imei", "number", "example"]);
function isolated(values: Values): Values {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) out[name] = typeof value === "string" && value !== "" && LTR_TOKENS.has(name) ? `${FSI}${value}${PDI}` : value;
  return out;
}

/*
 * A lender without a name is "your lender" (`lender.unnamed`), written for the middle of a sentence; many messages
 * open a sentence with {lender} ("{lender} locked this phone …"). Where the unnamed phrase starts the text or a
 * sentence, its first letter is capitalised in the deck's locale ("Your lender locked …"); a lender's own name is
 * never touched, and scripts without case are left as they are.
 */
const UNNAMED = "lender.unnamed";
const SENTENCE_END = /[.!?।؟。]/u;
function openingsCapitalised(text: string, lender: string, unnamedPhrase: string, locale: string): string {
  if (lender !== unnamedPhrase || lender === "") return text;
  const opening = `${lender.charAt(0).toLocaleUpperCase(locale)}${lender.slice(1)}`;
  if (opening === lender) return text;
  let out = "";
  let from = 0;
  for (let at = text.indexOf(lender); at !== -1; at = text.indexOf(lender, at + lender.length)) {
    const before = text.slice(0, at).trimEnd();
    const starts = before === "" || SENTENCE_END.test(before.slice(-1));
    out += text.slice(from, at) + (starts ? opening : lender);
    from = at + lender.length;
  }
  return out + text.slice(from);
}

export function copywriter(deck: Deck, source: Deck): Copywriter {
  const intlLocale = deck.intlLocale ?? deck.locale;
  const locale = `${intlLocale}-u-nu-${deck.numberingSystem}`;
  const compiled = new Map<string, IntlMessageFormat>();
  const rtl = deck.dir === "rtl";

  const line = (key: string, values: Values = {}): Line => {
    const own = messageOf(deck, key);
    const message = own ?? messageOf(source, key) ?? `[${key}]`;
    let format = compiled.get(key);
    if (!format) {
      try {
        format = new IntlMessageFormat(message, locale);
      } catch {
        // A syntax error is lint's to report; the screen shows the raw message rather than nothing.
        return { key, text: message, fallback: own === undefined };
      }
      compiled.set(key, format);
    }
    let text: string;
    try {
      text = String(format.format(rtl ? isolated(values) : values));
    } catch {
      text = message;
    }
    if (typeof values["lender"] === "string" && key !== UNNAMED) text = openingsCapitalised(text, values["lender"], unnamed(), intlLocale);
    return own === undefined ? { key, text, fallback: true } : { key, text };
  };
  let unnamedText: string | undefined;
  const unnamed = (): string => (unnamedText ??= line(UNNAMED).text);

  const parts = (at: number, timeZone: string, withDate: boolean): Record<string, string> => {
    const format = dateFormat(locale, timeZone, withDate);
    return Object.fromEntries(format.formatToParts(at).filter((part) => part.type !== "literal").map((part) => [part.type, part.value]));
  };

  return {
    deck,
    locale: intlLocale,
    dir: deck.dir,
    line,
    text: (key, values) => line(key, values).text,
    money: (amounts) => amounts.map((m) => currencyFormat(locale, m.currency).format(m.value)).join(" + "),
    // Only the names and digits come from the runtime's ICU, never its patterns: each Node release ships
    // another CLDR that punctuates dates differently ("Thu, 5 Mar" / "Thu 5 Mar"), and a screen must read
    // the same on every runtime. The deck's pattern says where each part goes.
    dateTime: (at, timeZone) => line("format.dateTime", parts(at, timeZone, true)).text,
    time: (at, timeZone) => line("format.time", parts(at, timeZone, false)).text,
  };
}

/** Building an Intl formatter costs far more than using one, and a scenario renders screens often. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withDate}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
      ...(withDate ? { weekday: "short", day: "numeric", month: "short" } : {}),
    });
    dateFormats.set(key, format);
  }
  return format;
}

const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    currencyFormats.set(key, format);
  }
  return format;
}
