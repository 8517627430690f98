import type { Deck } from "./deck.ts";

/**
 * The deck for a locale tag: the exact one ("pt-BR"), else its language ("de-DE" → "de"), else English.
 * Pure, for the server and the browser alike.
 */
export function chooseDeck<D extends Pick<Deck, "locale">>(locale: string | undefined, decks: ReadonlyMap<string, D>, source = "en"): D | undefined {
  if (locale !== undefined) {
    const exact = decks.get(locale) ?? [...decks.values()].find((deck) => deck.locale.toLowerCase() === locale.toLowerCase());
    if (exact) return exact;
    const language = locale.split("-")[0]?.toLowerCase();
    const same = [...decks.values()].find((deck) => deck.locale.toLowerCase() === language);
    if (same) return same;
  }
  return decks.get(source);
}
