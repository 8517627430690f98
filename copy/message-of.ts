import type { Deck } from "./deck.ts";

/**
 * The message text of a key, whichever form the deck wrote it in. Apart from deck.ts so the studio's page
 * can word screens without bundling zod (the decks it gets were validated by the server).
 */
export function messageOf(deck: Pick<Deck, "messages">, key: string): string | undefined {
  const entry = deck.messages[key];
  return entry === undefined ? undefined : typeof entry === "string" ? entry : entry.message;
}
