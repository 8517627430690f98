import type { JournalEvent } from "../../core/journal.ts";
import type { ExpectationResult, ScenarioResult } from "../run/result.ts";
import { describeAction } from "./action.ts";
import { story } from "./chapters.ts";
import { eventLine } from "./event-line.ts";
import { nameBook, type NameBook } from "./names.ts";
import { oneLine } from "./one-line.ts";
import { narrate } from "./narrate.ts";
import type { Reporter, ReporterOptions } from "./reporter.ts";
import { routinePhrase, tell } from "./routine.ts";
import { summarize, summaryLine } from "./summary.ts";
import { localTime } from "./time.ts";

/**
 * A transcript to share after a workshop or attach to an issue: the story's title, summary and learning
 * objectives, a table of the steps, the expectations with ✅/❌, and what happened, told in plain words.
 */
export const markdown: Reporter = (results, options) => {
  const body = results.map((result) => scenario(result, options)).join("\n\n---\n\n");
  return `${body}\n\n_${md(summaryLine(summarize(results)))}_\n`;
};

function scenario(result: ScenarioResult, options: ReporterOptions): string {
  const { scenario: info } = result;
  const names = nameBook(result);
  const time = (iso: string) => localTime(iso, result.timeZone);
  const verdict = result.skipped !== undefined ? `⏭️ skipped (${md(result.skipped)})` : result.passed ? "✅ passed" : "❌ failed";
  const out: string[] = [
    `# ${md(info.title)}`,
    "",
    md(info.summary),
    "",
    `**${verdict}** · seed \`${String(result.seed)}\` · ${md(result.transport)} · ${md(result.timeZone)} · ${time(result.startedAt)} → ${time(result.endedAt)}`,
    "",
    "## Learning objectives",
    "",
    ...info.objectives.map((objective) => `- ${md(objective)}`),
    "",
    "## Steps",
    "",
    "| Simulated time | Narration | Action | Outcome |",
    "| --- | --- | --- | --- |",
    ...result.steps.map((step) => {
      const cells = [
        time(step.at),
        step.say ? md(step.say) : "",
        step.action ? code(describeAction(step.action)) : "",
        step.error ? `❗ ${md(step.error)}` : step.outcome ? md(step.outcome) : "",
      ];
      return `| ${cells.map(cell).join(" | ")} |`;
    }),
    "",
    "## Expectations",
    "",
    ...(result.expectations.length ? result.expectations.flatMap((e) => expectation(e, names)) : ["_None._"]),
    "",
    "## What happened",
    "",
    ...happened(result, names, options.verbose === true),
  ];
  return out.join("\n");
}

function expectation(e: ExpectationResult, names: NameBook): string[] {
  const where = `step ${e.step + 1}, ${localTime(e.at, names.timeZone)}`;
  if (e.skipped !== undefined) return [`- ⏭️ skipped: ${md(e.description)} (${where}): ${md(e.skipped)}`];
  if (e.passed) return [`- ✅ ${md(e.description)} (${where})`];
  return [
    `- ❌ ${md(e.description)} (${where}): expected ${code(e.expected)}, found ${code(e.found)}`,
    ...(e.recentEvents.length ? ["  - Recent events:", ...e.recentEvents.map((event) => `    - ${md(eventLine(event, names))}`)] : []),
  ];
}

/** The notable events in order, each step marked where it ran, routine runs folded into one line. */
function happened(result: ScenarioResult, names: NameBook, verbose: boolean): string[] {
  const { prelude, chapters } = story(result);
  const lines = (events: readonly JournalEvent[]): string[] => {
    if (verbose) return events.map((event) => `- **${localTime(event.at, names.timeZone)}** ${md(narrate(event, names))} \`${event.type}\``);
    return tell(events, names).flatMap((told) => {
      if (told.kind === "event") {
        const repeated = told.times > 1 ? ` _(×${told.times}, the last ${localTime(told.lastAt, names.timeZone)})_` : "";
        return [`- **${localTime(told.event.at, names.timeZone)}** ${md(told.sentence)}${repeated}`];
      }
      const phrase = routinePhrase(told.events);
      return phrase ? [`- _· ${phrase}_`] : [];
    });
  };
  return [
    ...lines(prelude),
    ...chapters.flatMap(({ step, during, after }) => [
      `- **${localTime(step.at, names.timeZone)}** ▶ _Step ${step.index + 1}${step.say ? `: ${md(step.say)}` : ""}_`,
      ...lines(during),
      ...lines(after),
    ]),
  ];
}

/**
 * Text that markdown must not read as markup or HTML. An underscore inside a word (`code_invalid`) is never
 * emphasis in GitHub markdown, so it stays as it is and the raw text stays readable.
 */
function md(text: string): string {
  return oneLine(text)
    .replace(/[\\`*[\]<>|]/g, "\\$&")
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_");
}

/** A code span that survives backticks inside it. */
function code(text: string): string {
  const flat = oneLine(text);
  return flat.includes("`") ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

/** A table cell: a pipe would end it, even inside a code span (GFM), so it is escaped. */
function cell(text: string): string {
  return text.replace(/(?<!\\)\|/g, "\\|");
}
