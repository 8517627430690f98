import { writeFileSync } from "node:fs";
import { loadDeckFile } from "./decks.ts";
import { pseudoDeck, pseudoLocales } from "./pseudo.ts";

/** Writes copy/en-XA.json and copy/ar-XB.json from copy/en.json. */
const source = loadDeckFile("en");
for (const locale of Object.keys(pseudoLocales) as (keyof typeof pseudoLocales)[]) {
  writeFileSync(new URL(`./${locale}.json`, import.meta.url), `${JSON.stringify(pseudoDeck(source, locale), null, 2)}\n`);
}
