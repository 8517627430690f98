import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { messageOf, sourceEntry, type Deck } from "./deck.ts";
import { copywriter } from "./format.ts";
import { screenText, type ScreenText } from "./screen-text.ts";
import { galleryStates, STATE_TIME_ZONE } from "./states.ts";
import { appText } from "./app-text.ts";

/**
 * `heartlock copy lint`'s static checks, pure so the gallery runs them too: keys against the source deck,
 * ICU syntax, variables, the locale's CLDR plural categories, and character budgets with stress values.
 * The overflow check needs a browser and lives in copy/overflow.ts.
 */
export type Rule = "missing-key" | "extra-key" | "syntax" | "unknown-variable" | "unused-variable" | "plural-categories" | "over-budget" | "overflow" | "deck";

export interface Finding {
  readonly locale: string;
  readonly key?: string;
  readonly rule: Rule;
  readonly severity: "error" | "warning";
  readonly message: string;
  /** Where it shows, for overflow and budget findings. */
  readonly state?: string;
  readonly size?: string;
  readonly scale?: number;
}

export function lintDeck(deck: Deck, source: Deck): Finding[] {
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, "locale">): void => void findings.push({ locale: deck.locale, ...finding });
  const categories = new Intl.PluralRules(deck.intlLocale ?? deck.locale).resolvedOptions().pluralCategories as string[];

  for (const key of Object.keys(source.messages)) {
    if (messageOf(deck, key) === undefined) add({ key, rule: "missing-key", severity: "error", message: `no message for ${key} (the source says: "${messageOf(source, key)}")` });
  }
  for (const key of Object.keys(deck.messages)) {
    if (source.messages[key] === undefined) add({ key, rule: "extra-key", severity: "warning", message: `${key} is not in the source deck; no screen uses it` });
  }
  for (const [key, entry] of Object.entries(deck.messages)) {
    const message = typeof entry === "string" ? entry : entry.message;
    let ast: MessageFormatElement[];
    try {
      ast = parse(message);
    } catch (error) {
      add({ key, rule: "syntax", severity: "error", message: `ICU syntax error: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const declared = sourceEntry(source, key)?.variables ?? {};
    const used = new Set<string>();
    walk(ast, (element) => {
      if ("value" in element && element.type !== TYPE.literal && element.type !== TYPE.tag && typeof element.value === "string") used.add(element.value);
      if (element.type === TYPE.plural) {
        const given = Object.keys(element.options).filter((option) => !option.startsWith("="));
        const missing = categories.filter((category) => !given.includes(category));
        if (missing.length) add({ key, rule: "plural-categories", severity: "error", message: `{${element.value}, plural} lacks ${missing.join(", ")} (CLDR categories for ${deck.intlLocale ?? deck.locale}: ${categories.join(", ")})` });
      }
    });
    for (const name of used) {
      if (!(name in declared)) add({ key, rule: "unknown-variable", severity: "error", message: `{${name}} is not a variable of ${key}; it has ${Object.keys(declared).map((v) => `{${v}}`).join(", ") || "none"}` });
    }
    const sourceUses = variablesIn(messageOf(source, key) ?? "");
    for (const name of Object.keys(declared)) {
      if (!used.has(name) && (deck === source || sourceUses.has(name))) add({ key, rule: "unused-variable", severity: deck === source ? "error" : "warning", message: `{${name}} is never used` });
    }
  }
  findings.push(...budgetFindings(deck, source));
  return findings;
}

function variablesIn(message: string): Set<string> {
  const names = new Set<string>();
  try {
    walk(parse(message), (element) => {
      if ("value" in element && element.type !== TYPE.literal && element.type !== TYPE.tag && typeof element.value === "string") names.add(element.value);
    });
  } catch {
    // the source's own syntax error is reported against the source
  }
  return names;
}

function walk(elements: readonly MessageFormatElement[], visit: (element: MessageFormatElement) => void): void {
  for (const element of elements) {
    visit(element);
    if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value, visit);
    if (element.type === TYPE.tag) walk(element.children, visit);
  }
}

/** Each line of each state, filled with stress values, against its key's budget (a pseudo-locale's are only warnings: it is meant to be long). */
function budgetFindings(deck: Deck, source: Deck): Finding[] {
  const copy = copywriter(deck, source);
  const worst = new Map<string, { length: number; state: string }>();
  for (const state of galleryStates) {
    const text = screenText(state.facts, copy, STATE_TIME_ZONE);
    for (const line of [...linesOf(text), ...Object.values(appText(state, copy))]) {
      const seen = worst.get(line.key);
      // The bidi isolation marks copy/format.ts puts around numbers and emails in right-to-left copy are invisible.
      const length = [...line.text.replace(/[\u2066-\u2069]/g, "")].length;
      if (!seen || length > seen.length) worst.set(line.key, { length, state: state.id });
    }
  }
  const findings: Finding[] = [];
  for (const [key, { length, state }] of worst) {
    const budget = sourceEntry(source, key)?.budget;
    if (budget !== undefined && length > budget) {
      findings.push({ locale: deck.locale, key, state, rule: "over-budget", severity: deck.review.status === "generated" ? "warning" : "error", message: `${length} characters with stress values; the budget is ${budget}` });
    }
  }
  return findings;
}

export function linesOf(text: ScreenText) {
  return [
    text.title,
    ...(text.notification ? [text.notification.app, text.notification.body] : []),
    ...(text.lenderMessage ? [text.lenderMessage.label, ...(text.lenderMessage.marker ? [text.lenderMessage.marker] : [])] : []),
    ...text.body,
    ...(text.notice ? [text.notice] : []),
    ...(text.challenge ? [text.challenge.label] : []),
    ...(text.keypad ? [text.keypad.title, text.keypad.codeLabel, text.keypad.submit, ...(text.keypad.message ? [text.keypad.message] : []), ...(text.keypad.attempts ? [text.keypad.attempts] : [])] : []),
  ];
}
