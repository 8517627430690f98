import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DeckFileError, loadDecks, SOURCE_LOCALE } from "../copy/decks.ts";
import { lintDeck, type Finding } from "../copy/lint.ts";
import { EXIT, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";
import { strayOption } from "./stray-option.ts";

/** What each subcommand reads (cli/main.ts lets copy's options through; an option the subcommand ignores is refused here). */
const SUBCOMMAND_OPTIONS: Readonly<Record<string, readonly (keyof CliOptions)[]>> = {
  lint: ["reporter", "no-browser"],
  sheet: ["locale", "out"],
};

/** `heartlock copy lint [locale…]` and `heartlock copy sheet`: the UX writers' checks and review sheet. */
export async function copyCommand(args: readonly string[], options: CliOptions, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const reads = sub === undefined ? undefined : SUBCOMMAND_OPTIONS[sub];
  const stray = reads === undefined ? undefined : strayOption(options, reads);
  if (stray !== undefined) {
    io.stderr(`heartlock copy ${sub}: --${stray} is not an option of copy ${sub}; heartlock copy --help lists them\n`);
    return EXIT.invalid;
  }
  if (sub === "lint") return lint(rest, options, io);
  if (sub === "sheet") {
    if (rest.length > 0) {
      io.stderr(`heartlock copy sheet: takes no locales as words; use --locale ${rest.join(",")}\n`);
      return EXIT.invalid;
    }
    return sheet(options, io);
  }
  io.stderr(`heartlock copy: say "lint" or "sheet" (got ${sub === undefined ? "nothing" : `"${sub}"`})\n`);
  return EXIT.invalid;
}

async function lint(locales: readonly string[], options: CliOptions, io: Io): Promise<number> {
  const reporter = options.reporter ?? "pretty";
  if (reporter !== "pretty" && reporter !== "json") {
    io.stderr(`heartlock copy lint: --reporter must be pretty or json\n`);
    return EXIT.invalid;
  }
  let decks;
  try {
    decks = loadDecks();
  } catch (error) {
    io.stderr(`heartlock copy lint: ${error instanceof DeckFileError ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  const source = decks.get(SOURCE_LOCALE);
  if (!source) {
    io.stderr("heartlock copy lint: copy/en.json, the source deck, is missing\n");
    return EXIT.invalid;
  }
  const unknown = locales.filter((locale) => !decks.has(locale));
  if (unknown.length) {
    io.stderr(`heartlock copy lint: no deck for ${unknown.join(", ")} in copy/ (there are ${[...decks.keys()].join(", ")})\n`);
    return EXIT.invalid;
  }
  const chosen = locales.length ? [...locales] : [...decks.keys()];
  const findings: Finding[] = chosen.flatMap((locale) => lintDeck(decks.get(locale) ?? source, source));
  let measured = false;
  if (!options["no-browser"]) {
    const browserMissing = await missingBrowser();
    if (browserMissing) {
      io.stderr(`heartlock copy lint: overflow not checked: ${browserMissing} (or pass --no-browser)\n`);
      return EXIT.invalid;
    }
    const { overflowFindings } = await import("../copy/overflow-run.ts");
    findings.push(...(await overflowFindings(chosen)));
    measured = true;
  }
  const errors = findings.filter((finding) => finding.severity === "error").length;
  if (reporter === "json") {
    io.stdout(`${JSON.stringify({ locales: chosen, overflowChecked: measured, errors, warnings: findings.length - errors, findings }, null, 2)}\n`);
  } else {
    for (const f of findings) {
      const where = [f.key, f.state, f.size && `${f.size} @ ${f.scale}%`].filter(Boolean).join(" · ");
      io.stdout(`${f.severity === "error" ? "✗" : "!"} ${f.locale}  ${f.rule}  ${where}: ${f.message}\n`);
    }
    io.stdout(`${chosen.length} locale(s): ${errors} error(s), ${findings.length - errors} warning(s)${measured ? "" : "; overflow not checked (--no-browser)"}\n`);
  }
  return errors > 0 ? EXIT.failed : EXIT.ok;
}

async function sheet(options: CliOptions, io: Io): Promise<number> {
  const browserMissing = await missingBrowser();
  if (browserMissing) {
    io.stderr(`heartlock copy sheet: ${browserMissing}\n`);
    return EXIT.invalid;
  }
  const decks = loadDecks();
  const locales = options.locale ? options.locale.split(",").filter(Boolean) : [...decks.keys()];
  const unknown = locales.filter((locale) => !decks.has(locale));
  if (unknown.length) {
    io.stderr(`heartlock copy sheet: no deck for ${unknown.join(", ")} in copy/\n`);
    return EXIT.invalid;
  }
  const out = resolve(options.out ?? "copy-sheet");
  const pdf = out.endsWith(".pdf") ? out : resolve(out, "sheet.pdf");
  const dir = out.endsWith(".pdf") ? dirname(out) : out;
  mkdirSync(dir, { recursive: true });
  const { writeSheet } = await import("../copy/sheet.ts");
  const result = await writeSheet({ locales, dir, pdf });
  io.stdout(`${result.pngs.length} screenshots in ${dir}\ncontact sheet: ${result.pdf} (and ${result.html})\n`);
  return EXIT.ok;
}

/**
 * Why Chromium cannot be driven here, or undefined. playwright-core is a development dependency (an installed
 * package does not bring it), and the harness imports it: its absence is said in one line, not as a stack trace.
 */
async function missingBrowser(): Promise<string | undefined> {
  try {
    return (await import("../studio/browser/harness.ts")).browserMissing;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND" && String(error).includes("playwright-core")) {
      return "playwright-core is not installed (npm install --save-dev playwright-core; it drives the system's Chromium)";
    }
    throw error;
  }
}
