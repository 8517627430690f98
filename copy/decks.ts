import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Deck } from "./deck.ts";

/**
 * The deck files on disk: `copy/<locale>.json`, one per locale. A locale is added by copying a file, so the
 * list is read from the directory each time it is asked for (the studio, lint and the sheet all see it).
 */
export const SHIPPED_DIR = new URL("./", import.meta.url);

/** copy/ itself, or HEARTLOCK_COPY_DIR (a team's own decks, and tests' copies). */
export function copyDir(): URL {
  const dir = process.env.HEARTLOCK_COPY_DIR;
  return dir ? pathToFileURL(dir.endsWith("/") ? dir : `${dir}/`) : SHIPPED_DIR;
}
export const SOURCE_LOCALE = "en";
const LOCALE_FILE = /^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.json$/;

export class DeckFileError extends Error {}

export function deckLocales(dir: URL = copyDir()): string[] {
  const locales = readdirSync(dir).flatMap((name) => LOCALE_FILE.exec(name)?.[1] ?? []);
  // The source first, then the rest alphabetically, pseudo-locales last.
  return locales.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(locale: string): number {
  return locale === SOURCE_LOCALE ? 0 : /-X[AB]$/.test(locale) ? 2 : 1;
}

export function deckFile(locale: string, dir: URL = copyDir()): URL {
  if (!LOCALE_FILE.test(`${locale}.json`)) throw new DeckFileError(`"${locale}" is not a locale tag`);
  return new URL(`./${locale}.json`, dir);
}

export function loadDeckFile(locale: string, dir: URL = copyDir()): Deck {
  const file = deckFile(locale, dir);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DeckFileError(`copy/${locale}.json: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = Deck.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeckFileError(`copy/${locale}.json: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "not a deck"}`);
  }
  if (parsed.data.locale !== locale) throw new DeckFileError(`copy/${locale}.json: its "locale" is "${parsed.data.locale}"; rename one to match`);
  return parsed.data;
}

export function loadDecks(dir: URL = copyDir()): Map<string, Deck> {
  return new Map(deckLocales(dir).map((locale) => [locale, loadDeckFile(locale, dir)]));
}

/** Writes a deck back (the gallery's Save), validated first; keys keep the source deck's order. */
export function saveDeckFile(data: unknown, dir: URL = copyDir()): Deck {
  const deck = Deck.parse(data);
  writeFileSync(deckFile(deck.locale, dir), `${JSON.stringify(data, null, 2)}\n`);
  return deck;
}
