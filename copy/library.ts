import { copywriter, type Copywriter } from "./format.ts";
import { chooseDeck } from "./choose.ts";
import { loadDecks, SOURCE_LOCALE } from "./decks.ts";
import type { Deck } from "./deck.ts";

/**
 * The decks of copy/, read once per process, with a copywriter per locale: what worlds use to word their
 * phones' screens. `reload()` picks up a deck saved by the gallery.
 */
let decks: Map<string, Deck> | undefined;
const writers = new Map<string, Copywriter>();

export function shippedDecks(): ReadonlyMap<string, Deck> {
  decks ??= loadDecks();
  return decks;
}

export function reloadDecks(): void {
  decks = undefined;
  writers.clear();
}

export function copyFor(locale: string | undefined): Copywriter {
  const all = shippedDecks();
  const deck = chooseDeck(locale, all) ?? all.get(SOURCE_LOCALE);
  const source = all.get(SOURCE_LOCALE);
  if (!deck || !source) throw new Error("copy/en.json is missing: the source deck is needed");
  let writer = writers.get(deck.locale);
  if (!writer) {
    writer = copywriter(deck, source);
    writers.set(deck.locale, writer);
  }
  return writer;
}
