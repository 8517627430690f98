import { z } from "zod";

/**
 * A copy deck: every word one locale's phone shows, as ICU MessageFormat strings keyed by screen and
 * element (`locked.title`, `keypad.attemptsLeft`). The source deck (`en`) describes each key for
 * translators (what it is, its variables, a character budget); other decks give the message alone.
 * Pure data and schemas: the browser's gallery imports this file too.
 */

export const MessageKey = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/, "must be dotted camelCase words, like locked.title")
  .meta({ description: "screen.element", example: "locked.title" });

export const SourceMessage = z
  .strictObject({
    message: z.string().min(1).meta({ description: "ICU MessageFormat" }),
    description: z.string().min(1).meta({ description: "Where the words appear and what they must say, for translators" }),
    variables: z.record(z.string(), z.string()).optional().meta({ description: "Each {variable} the message may use, and what it holds" }),
    budget: z.number().int().positive().optional().meta({ description: "Most characters the message may take once filled with stress values" }),
  })
  .meta({ id: "SourceMessage" });

export const reviewStatuses = ["source", "needs-native-review", "reviewed", "generated"] as const;

export const Deck = z
  .strictObject({
    $schema: z.string().optional(),
    locale: z.string().min(2).max(35).meta({ description: "BCP 47 tag, as the file is named", example: "de" }),
    name: z.string().min(1).max(60).meta({ description: "The language's own name, for the switcher", example: "Deutsch" }),
    dir: z.enum(["ltr", "rtl"]).default("ltr"),
    /** Which locale's Intl data formats numbers, dates and plural rules (a pseudo-locale borrows one). */
    intlLocale: z.string().min(2).max(35).optional().meta({ description: "Locale for Intl (numbers, dates, plurals) when it differs from `locale`" }),
    numberingSystem: z.string().regex(/^[a-z]{3,8}$/).default("latn").meta({ description: "Digits for numbers and dates, pinned so every runtime shows the same" }),
    review: z
      .strictObject({
        status: z.enum(reviewStatuses),
        note: z.string().max(400).optional(),
      })
      .meta({ description: "Whether a native speaker has reviewed this deck; the gallery shows it" }),
    messages: z.record(MessageKey, z.union([z.string(), SourceMessage])),
  })
  .meta({ id: "CopyDeck", title: "Heartlock copy deck" });
export type Deck = z.output<typeof Deck>;
export type DeckInput = z.input<typeof Deck>;

export { messageOf } from "./message-of.ts";

export function sourceEntry(deck: Deck, key: string): z.output<typeof SourceMessage> | undefined {
  const entry = deck.messages[key];
  return typeof entry === "object" ? entry : undefined;
}

/** The JSON Schema editors use to autocomplete decks (committed as copy/deck.schema.json; a test keeps it in step). */
export function deckJsonSchemaText(): string {
  const schema = z.toJSONSchema(Deck, { target: "draft-7", io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, $id: "https://heartlock.invalid/deck.schema.json" }, null, 2)}\n`;
}
