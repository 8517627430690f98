import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Deck } from "./deck.ts";

/**
 * The deck files on disk: `copy/<locale>.json`, one per locale. A locale is added by copying a file, so the
 * list is read from the directory each time it is asked for (the studio, lint and the sheet all see it).
 */
export const SHIPPED_DIR = new URL("./", import.meta.url);

/*
 * The built code runs from dist/copy/, which every `npm run build` deletes and writes again. In a clone the decks a
 * writer edits, saves from the gallery and commits are the project's own copy/ beside dist/: the built code reads
 * and writes those (a new `copy/nl.json` is seen at once, and a save survives the next build). An installed package
 * has no copy/ beside its dist/ (the tarball ships only the built one), so it reads the decks it ships and does
 * not save into node_modules: a team's own decks go in HEARTLOCK_COPY_DIR.
 */
const CLONE_DIR = cloneDecks();

/** The clone's copy/ beside the built `shipped` folder (dist/copy/), or undefined: running from sources, or installed. */
export function cloneDecks(shipped: URL = SHIPPED_DIR): URL | undefined {
  if (!shipped.pathname.endsWith("/dist/copy/")) return undefined;
  const source = new URL("../../copy/", shipped);
  return existsSync(new URL("./en.json", source)) && existsSync(new URL("./decks.ts", source)) ? source : undefined;
}

/** HEARTLOCK_COPY_DIR (a team's own decks, and tests' copies), else the clone's copy/, else the decks shipped in dist/. */
export function copyDir(): URL {
  const dir = process.env.HEARTLOCK_COPY_DIR;
  return dir ? pathToFileURL(dir.endsWith("/") ? dir : `${dir}/`) : (CLONE_DIR ?? SHIPPED_DIR);
}

/**
 * Why decks cannot be saved into `dir`, or undefined when they can: the built decks (dist/copy/) are replaced by
 * the next build, and in an installed package by the next install, so a save there would be lost without a word.
 */
export function unsavedReason(dir: URL, shipped: URL = SHIPPED_DIR, clone: URL | undefined = shipped === SHIPPED_DIR ? CLONE_DIR : cloneDecks(shipped)): string | undefined {
  if (dir.href !== shipped.href || !shipped.pathname.endsWith("/dist/copy/")) return undefined;
  if (clone !== undefined) return `dist/copy/ is rebuilt (deleted) by every npm run build: save into the clone's copy/ (${clone.pathname}) instead`;
  return "these are the decks the installed package ships (in node_modules, replaced by the next install): copy them to a folder of your own, set HEARTLOCK_COPY_DIR to it and start again to save there; Download deck works meanwhile";
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

/** Writes a deck back (the gallery's Save), validated first; keys keep the source deck's order. Returns the file written. */
export function saveDeckFile(data: unknown, dir: URL = copyDir()): URL {
  const deck = Deck.parse(data);
  const file = deckFile(deck.locale, dir);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
