import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { printAST } from "@formatjs/icu-messageformat-parser/printer.js";
import { localize } from "pseudo-localization";
import { messageOf, type Deck, type DeckInput } from "./deck.ts";

/**
 * The two pseudo-locales, made from the source deck by `pseudo-localization` (as Android's en-XA and ar-XB):
 * `en-XA` accents every letter and stretches the words by about 40 %, to find clipped text and strings
 * that never went through the deck; `ar-XB` mirrors the words right to left, to find layouts that do not.
 * Only literal text is changed: variables, plural and select syntax stay as ICU needs them.
 * Regenerate with `npx tsx copy/make-pseudo.ts` (a test checks the committed files match).
 */
export const pseudoLocales = {
  "en-XA": { name: "Pseudo (accented, longer)", dir: "ltr", strategy: "accented" },
  "ar-XB": { name: "Pseudo (mirrored, right to left)", dir: "rtl", strategy: "bidi" },
} as const;

export function pseudoDeck(source: Deck, locale: keyof typeof pseudoLocales): DeckInput {
  const { name, dir, strategy } = pseudoLocales[locale];
  const messages = Object.fromEntries(
    Object.keys(source.messages).map((key) => [key, pseudoMessage(messageOf(source, key) ?? "", strategy)]),
  );
  return {
    $schema: "./deck.schema.json",
    locale,
    name,
    dir,
    intlLocale: source.intlLocale ?? source.locale,
    numberingSystem: source.numberingSystem,
    review: { status: "generated", note: "Made from en by pseudo-localization for testing; never shown to a real owner." },
    messages,
  };
}

function pseudoMessage(message: string, strategy: "accented" | "bidi"): string {
  const ast = parse(message);
  return printAST(ast.map((element) => pseudoElement(element, strategy)));
}

function pseudoElement(element: MessageFormatElement, strategy: "accented" | "bidi"): MessageFormatElement {
  if (element.type === TYPE.literal) {
    // Accented: pseudo-localization doubles the vowels (~30 %); a pad of "·" on long runs brings it to ~40 %.
    const text = localize(element.value, { strategy });
    const pad = strategy === "accented" && element.value.trim().length > 8 ? "·".repeat(Math.round(element.value.length * 0.1)) : "";
    return { ...element, value: pad ? `${text}${pad}` : text };
  }
  if (element.type === TYPE.plural || element.type === TYPE.select) {
    const options = Object.fromEntries(
      Object.entries(element.options).map(([name, option]) => [name, { ...option, value: option.value.map((inner) => pseudoElement(inner, strategy)) }]),
    );
    return { ...element, options } as MessageFormatElement;
  }
  return element;
}
