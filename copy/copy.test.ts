import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import type { Io } from "../cli/io.ts";
import { deckJsonSchemaText, messageOf } from "./deck.ts";
import { loadDecks, SHIPPED_DIR } from "./decks.ts";
import { copywriter } from "./format.ts";
import { lintDeck } from "./lint.ts";
import { pseudoDeck } from "./pseudo.ts";
import { plainText, screenText } from "./screen-text.ts";
import { appText } from "./app-text.ts";
import { galleryStates, STATE_TIME_ZONE, STRESS } from "./states.ts";
import { linesOf } from "./lint.ts";

const decks = loadDecks(SHIPPED_DIR);
const en = decks.get("en") ?? (() => { throw new Error("no en deck"); })();
const locales = [...decks.keys()];
const translated = locales.filter((locale) => !locale.startsWith("en"));
const writer = (locale: string) => copywriter(decks.get(locale) ?? en, en);

/** Every line a state shows in a locale: the screen's, and the app's open on it. */
function allLines(locale: string, state: (typeof galleryStates)[number]) {
  const copy = writer(locale);
  return [...linesOf(screenText(state.facts, copy, STATE_TIME_ZONE)), ...Object.values(appText(state, copy))];
}

/** Words that give English away and are no word of the other shipped languages ("Code" is German too). */
const ENGLISH = /\b(the|your|phone|locked|call|installment|overdue|payment|please|again|unlock)\b/i;

describe("the shipped copy decks", () => {
  it("ships en, de, es, pt-BR, ar, hi, sw and two pseudo-locales, each valid", () => {
    expect(locales).toEqual(["en", "ar", "de", "es", "hi", "pt-BR", "sw", "ar-XB", "en-XA"]);
  });

  it("keeps the committed deck JSON Schema in step with the zod schema", () => {
    expect(readFileSync(new URL("./deck.schema.json", SHIPPED_DIR), "utf8"), "run: npx tsx -e 'import(\"./copy/deck.ts\").then(m=>process.stdout.write(m.deckJsonSchemaText()))' > copy/deck.schema.json").toBe(deckJsonSchemaText());
  });

  it("keeps the pseudo-locales in step with the source deck", () => {
    for (const locale of ["en-XA", "ar-XB"] as const) {
      expect(JSON.parse(readFileSync(new URL(`./${locale}.json`, SHIPPED_DIR), "utf8")), "run: npx tsx copy/make-pseudo.ts").toEqual(pseudoDeck(en, locale));
    }
  });

  it("describes every source key for translators", () => {
    for (const [key, entry] of Object.entries(en.messages)) expect(typeof entry === "object" && entry.description.length > 0, key).toBe(true);
  });

  it.each(locales)("lints %s with no error but overflow", (locale) => {
    expect(lintDeck(decks.get(locale) ?? en, en).filter((f) => f.severity === "error")).toEqual([]);
  });

  it.each(locales.filter((locale) => locale !== "en"))("marks the %s deck as needing a native speaker's review, or as generated", (locale) => {
    expect(["needs-native-review", "generated"]).toContain(decks.get(locale)?.review.status);
  });
});

describe("every state in every locale", () => {
  const cases = locales.flatMap((locale) => galleryStates.map((state) => [locale, state.id] as const));
  it.each(cases)("%s %s: no missing key and no raw {variable}", (locale, id) => {
    const state = galleryStates.find((s) => s.id === id);
    if (!state) throw new Error(id);
    for (const line of allLines(locale, state)) {
      expect(line.fallback, `${locale} ${line.key}`).toBeUndefined();
      expect(line.text, `${locale} ${line.key}`).not.toMatch(/\{\w+\}|\[\w+(\.\w+)+\]/);
      expect(line.text.trim(), `${locale} ${line.key}`).not.toBe("");
    }
  });

  it.each(translated.flatMap((locale) => galleryStates.map((state) => [locale, state.id] as const)))("%s %s: no English left", (locale, id) => {
    const state = galleryStates.find((s) => s.id === id);
    if (!state) throw new Error(id);
    const copy = writer(locale);
    for (const line of allLines(locale, state)) {
      const words = line.text.replaceAll(STRESS.lender, "").replaceAll(STRESS.email, "");
      if (locale !== "ar-XB") expect(words, `${locale} ${line.key}`).not.toMatch(ENGLISH);
    }
    // The lender's own message is the one English text, shown only with its "not translated" mark.
    const text = screenText(state.facts, copy, STATE_TIME_ZONE);
    if (text.lenderMessage && text.lenderMessage.lang) expect(text.lenderMessage.marker?.text).toBeTruthy();
  });
});

describe("plurals, money, dates and direction", () => {
  const attempts = (locale: string, count: number) => writer(locale).text("keypad.attemptsLeft", { count });

  it("words attempts left by English plural rules", () => {
    expect([1, 2, 0].map((n) => attempts("en", n))).toEqual(["1 attempt left", "2 attempts left", "0 attempts left"]);
  });

  it("words attempts left by Arabic's six plural categories", () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => attempts("ar", n))).toEqual([
      "لم تتبقَّ أي محاولة",
      "تبقّت محاولة واحدة",
      "تبقّت محاولتان",
      "تبقّت 3 محاولات",
      "تبقّت 11 محاولة",
      "تبقّت 100 محاولة",
    ]);
  });

  it("formats money in the deck's locale with the lender's currency", () => {
    const euros = [{ value: 1234567.89, currency: "EUR" }];
    expect(writer("de").money(euros)).toBe("1.234.567,89\u00a0€");
    expect(writer("en").money(euros)).toBe("€1,234,567.89");
    expect(writer("hi").money([{ value: 1234567.89, currency: "INR" }])).toBe("₹12,34,567.89");
  });

  // Names and digits come from Intl, the pattern from the deck: a new Node's CLDR cannot reshuffle these.
  it.each([
    ["en", "Thu 5 Mar, 12:19"],
    ["de", "Do., 5. März, 12:19"],
    ["es", "jue 5 mar, 12:19"],
    ["pt-BR", "qui., 5 de mar., 12:19"],
    ["ar", "الخميس، 5 مارس، 12:19"],
    ["hi", "गुरु, 5 मार्च, 12:19"],
    ["sw", "Alhamisi, 5 Mac, 12:19"],
  ])("writes dates the %s way, in the scenario's time zone", (locale, expected) => {
    expect(writer(locale).dateTime(Date.parse("2026-03-05T11:19:00Z"), "Europe/Berlin")).toBe(expected);
    expect(writer(locale).time(Date.parse("2026-03-05T11:19:00Z"), "America/New_York")).toBe("06:19");
  });

  it("isolates phone numbers and emails inside right-to-left text, so they keep their order; left-to-right decks are untouched", () => {
    const values = { lender: "Acme", phone: "+55 (33) 3521-400001", email: "help@acme.test" };
    const arabic = writer("ar").text("contact.both", values);
    expect(arabic).toContain("\u2068+55 (33) 3521-400001\u2069");
    expect(arabic).toContain("\u2068help@acme.test\u2069");
    expect(arabic).not.toContain("\u2068Acme\u2069");
    expect(writer("de").text("contact.both", values)).not.toMatch(/[\u2066-\u2069]/);
  });

  it("lays ar and ar-XB out right to left", () => {
    expect(screenText(galleryStates[0]!.facts, writer("ar"), "UTC").dir).toBe("rtl");
    expect(screenText(galleryStates[0]!.facts, writer("ar-XB"), "UTC").dir).toBe("rtl");
    expect(screenText(galleryStates[0]!.facts, writer("de"), "UTC").dir).toBe("ltr");
  });

  it("shows a lender's message in the phone's locale when given, and marks the fallback when not", () => {
    const state = galleryStates.find((s) => s.id === "locked-overdue");
    if (!state) throw new Error("state");
    expect(screenText(state.facts, writer("de"), "UTC").lenderMessage).toMatchObject({ text: expect.stringContaining("Ihre Ratenzahlung") });
    expect(screenText(state.facts, writer("de"), "UTC").lenderMessage?.marker).toBeUndefined();
    const es = screenText(state.facts, writer("es"), "UTC");
    expect(es.lenderMessage).toMatchObject({ lang: "en", marker: { key: "locked.overdue.untranslated" } });
    expect(plainText(es)).toContain("no ha escrito este mensaje en su idioma");
  });
});

describe("heartlock copy lint", () => {
  function run(args: string[], env: Record<string, string>) {
    let stdout = "";
    let stderr = "";
    const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env, writeFile: () => undefined };
    const saved = process.env.HEARTLOCK_COPY_DIR;
    process.env.HEARTLOCK_COPY_DIR = env.HEARTLOCK_COPY_DIR;
    return main(args, io).then((code) => {
      if (saved === undefined) delete process.env.HEARTLOCK_COPY_DIR;
      else process.env.HEARTLOCK_COPY_DIR = saved;
      return { code, stdout, stderr };
    });
  }

  it("lists the missing keys of a deck a user added by copying a file, and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "heartlock-copy-"));
    try {
      cpSync(new URL("./", SHIPPED_DIR), dir, { recursive: true, filter: (path) => !path.endsWith(".ts") });
      const nl = JSON.parse(readFileSync(join(dir, "de.json"), "utf8")) as { locale: string; name: string; messages: Record<string, string> };
      nl.locale = "nl";
      nl.name = "Nederlands";
      nl.messages = { "locked.title": "Deze telefoon is vergrendeld", "keypad.attemptsLeft": "{count, plural, one {nog # poging} other {nog # pogingen}}", "setup.title": "Instellen {lender" };
      writeFileSync(join(dir, "nl.json"), JSON.stringify(nl));
      const { code, stdout } = await run(["copy", "lint", "nl", "--no-browser", "--reporter", "json"], { HEARTLOCK_COPY_DIR: dir });
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as { findings: { rule: string; key: string }[] };
      expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "missing-key", key: "locked.amountDue" }), expect.objectContaining({ rule: "syntax", key: "setup.title" })]));
      expect(report.findings.filter((f) => f.rule === "missing-key")).toHaveLength(Object.keys(en.messages).length - 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds unknown variables and plural categories a locale needs", () => {
    const broken = { ...decks.get("ar")!, messages: { ...decks.get("ar")!.messages, "keypad.attemptsLeft": "{count, plural, one {محاولة} other {# محاولة}}", "locked.title": "{phone} مقفل" } };
    const rules = lintDeck(broken, en).map((f) => `${f.rule} ${f.key}`);
    expect(rules).toContain("plural-categories keypad.attemptsLeft");
    expect(rules).toContain("unknown-variable locked.title");
  });

  it("passes the shipped decks' static checks and exits 0", async () => {
    const { code, stdout } = await run(["copy", "lint", "de", "ar", "--no-browser"], { HEARTLOCK_COPY_DIR: "" });
    expect(stdout).toMatch(/2 locale\(s\): 0 error\(s\)/);
    expect(code).toBe(0);
  });

  it("refuses an option the subcommand does not read, as one line and exit 2", async () => {
    const lint = await run(["copy", "lint", "de", "--no-browser", "--locale", "ar"], { HEARTLOCK_COPY_DIR: "" });
    expect([lint.code, lint.stderr]).toEqual([2, "heartlock copy lint: --locale is not an option of copy lint; heartlock copy --help lists them\n"]);
    const sheet = await run(["copy", "sheet", "--reporter", "json"], { HEARTLOCK_COPY_DIR: "" });
    expect([sheet.code, sheet.stderr]).toEqual([2, "heartlock copy sheet: --reporter is not an option of copy sheet; heartlock copy --help lists them\n"]);
  });

  it("says which of the source's messages a key missing from a deck would show", () => {
    expect(messageOf(en, "locked.title")).toBe("This phone is locked");
  });
});
