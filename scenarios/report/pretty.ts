import type { JournalEvent } from "../../core/journal.ts";
import type { ExpectationResult, ScenarioResult } from "../run/result.ts";
import { describeAction } from "./action.ts";
import { story, type Chapter } from "./chapters.ts";
import { eventLine } from "./event-line.ts";
import { nameBook, type NameBook } from "./names.ts";
import { oneLine } from "./one-line.ts";
import { isRoutine, narrate } from "./narrate.ts";
import { reportedFile, type Reporter, type ReporterOptions } from "./reporter.ts";
import { routinePhrase, tell } from "./routine.ts";
import { style, visible, type Style } from "./style.ts";
import { summarize, summaryLine } from "./summary.ts";
import { count, days, localTime } from "./time.ts";

/** "Wed 11 Mar 18:00" is the longest simulated time; the story's text starts after it. */
const TIME_WIDTH = 16;

/**
 * A narrated timeline for a terminal: each step at its simulated local time with its `say:` line, its
 * action and outcome, the notable events in between told in plain words (routine heartbeats folded into
 * one dim line), and every expectation with ✓ or ✗. A failure shows what was expected, what was found and
 * the events just before the check. `verbose` tells every event; `color` adds ANSI colours, and without
 * it the text holds no escape code at all.
 */
export const pretty: Reporter = (results, options) => {
  const s = style(options.color === true);
  const summary = summarize(results);
  const line = summaryLine(summary);
  const footer = summary.failed > 0 ? s.red(line) : summary.skipped + summary.skippedExpectations > 0 ? s.yellow(line) : s.green(line);
  return [...results.map((result) => prettyScenario(result, options)), footer].join("\n\n") + "\n";
};

/** One scenario's transcript (also the JUnit report's system-out). */
export function prettyScenario(result: ScenarioResult, options: ReporterOptions = {}): string {
  return new Transcript(result, options).render();
}

class Transcript {
  private readonly s: Style;
  private readonly names: NameBook;
  private readonly lines: string[] = [];
  /** The time column shows a time only when it changes, so a burst of events reads as one moment. */
  private shownTime: string | undefined;

  constructor(
    private readonly result: ScenarioResult,
    private readonly options: ReporterOptions,
  ) {
    this.s = style(options.color === true);
    this.names = nameBook(result);
  }

  render(): string {
    const { result, s } = this;
    const { scenario, stats } = result;
    this.lines.push(s.bold(visible(oneLine(scenario.title))), visible(scenario.summary.trim()));
    this.lines.push(
      s.dim(`seed ${visible(String(result.seed))} · ${visible(result.transport)} · ${visible(result.timeZone)} · ${this.time(result.startedAt)} → ${this.time(result.endedAt)}`),
      "",
    );
    if (result.skipped !== undefined) {
      this.lines.push(s.yellow(`- skipped: ${visible(oneLine(result.skipped))}`));
      return this.lines.join("\n");
    }
    const { prelude, chapters } = story(result);
    this.events(prelude);
    for (const chapter of chapters) this.chapter(chapter);
    this.screens();
    this.skippedList();
    const skipped = result.expectations.filter((e) => e.skipped !== undefined).length;
    const failed = result.expectations.filter((e) => !e.passed).length - skipped;
    const verdict = result.passed ? s.green("✓ passed") : s.red("✗ failed");
    const errors = result.steps.filter((step) => step.error !== undefined).length;
    const checks = [
      failed ? `${failed} of ${count(result.expectations.length, "expectation")} failed` : count(result.expectations.length, "expectation"),
      ...(skipped ? [`${skipped} skipped (they need Heartlock's own mock)`] : []),
      ...(errors ? [`${count(errors, "action")} failed`] : []),
    ].join(", ");
    this.lines.push(
      "",
      `${verdict}: ${checks}; ${count(stats.events, "event")} (${count(stats.heartbeats, "heartbeat")}); ${days(stats.simulatedMs)} simulated days`,
    );
    return this.lines.join("\n");
  }

  /** Against a --target: every check that was not decided, where it is and why, so none passes unseen. */
  private skippedList(): void {
    const skipped = this.result.expectations.filter((e) => e.skipped !== undefined);
    if (skipped.length === 0) return;
    const { file } = this.result.scenario;
    this.lines.push("", this.s.bold(`Skipped: ${count(skipped.length, "expectation")} that need Heartlock's own mock (not counted as passed)`));
    for (const e of skipped) {
      const where = e.line === undefined ? `step ${e.step + 1}` : file === undefined ? `line ${e.line}` : `${reportedFile(file, this.options)}:${e.line}`;
      this.lines.push(`  - ${visible(where)}: ${visible(oneLine(e.description))} (${visible(oneLine(e.skipped ?? ""))})`);
    }
  }

  /** What each phone shows at the end, in its own locale's words (copy decks): the phone quoted, not paraphrased. */
  private screens(): void {
    const entries = Object.entries(this.result.screens ?? {});
    if (entries.length === 0 || entries.length > 10) return;
    this.lines.push("", this.s.bold("On the phones at the end"));
    for (const [name, screen] of entries) this.lines.push(`  ${visible(name)}: ${visible(oneLine(`“${screen.title}” ${screen.body}`))}`);
  }

  private chapter({ step, during, after, expectations }: Chapter): void {
    const { s } = this;
    const title = step.say ? `Step ${step.index + 1}: ${visible(oneLine(step.say))}` : `Step ${step.index + 1}`;
    this.row(step.at, s.bold(`▶ ${title}`));
    if (step.action) {
      const outcome = step.outcome ? ` → ${visible(oneLine(step.outcome))}` : "";
      this.row(undefined, `  ${visible(describeAction(step.action))}${outcome}`);
    } else if (step.outcome) {
      this.row(undefined, `  ${visible(oneLine(step.outcome))}`);
    }
    if (step.error) this.row(undefined, s.red(`  ✗ the action failed: ${visible(oneLine(step.error))}`));
    this.events(during);
    for (const expectation of expectations) this.expectation(expectation, step.at);
    this.events(after);
  }

  private expectation(e: ExpectationResult, stepAt: string): void {
    const { s } = this;
    const when = e.at !== stepAt ? s.dim(` (checked ${this.time(e.at)})`) : "";
    if (e.skipped !== undefined) {
      this.row(undefined, `  ${s.yellow(`- skipped: ${visible(oneLine(e.description))}`)}`);
      return;
    }
    if (e.passed) {
      this.row(undefined, `  ${s.green(`✓ ${visible(oneLine(e.description))}`)}${when}`);
      return;
    }
    this.row(undefined, `  ${s.red(`✗ ${visible(oneLine(e.description))}`)}${when}`);
    this.row(undefined, `      expected: ${visible(oneLine(e.expected))}`);
    this.row(undefined, `      found:    ${visible(oneLine(e.found))}`);
    const { file } = this.result.scenario;
    if (e.line !== undefined) this.row(undefined, `      at:       ${visible(file === undefined ? `line ${e.line}` : `${reportedFile(file, this.options)}:${e.line}`)}`);
    if (e.recentEvents.length) {
      this.row(undefined, "      recent events:");
      for (const event of e.recentEvents) this.row(undefined, s.dim(`        ${visible(eventLine(event, this.names))}`));
    }
  }

  private events(events: readonly JournalEvent[]): void {
    const { s } = this;
    if (this.options.verbose) {
      for (const event of events) {
        const text = `${visible(narrate(event, this.names))} ${s.dim(`[#${event.seq} ${event.actor} ${visible(event.type)}]`)}`;
        this.row(event.at, isRoutine(event) ? s.dim(text) : text);
      }
      return;
    }
    for (const told of tell(events, this.names)) {
      if (told.kind === "event") {
        const repeated = told.times > 1 ? s.dim(` (×${told.times}, the last ${this.time(told.lastAt)})`) : "";
        this.row(told.event.at, `${visible(told.sentence)}${repeated}`);
        continue;
      }
      const phrase = routinePhrase(told.events);
      if (phrase) this.row(told.events[0]?.at, s.dim(`· ${phrase}`));
    }
  }

  /** One line: the simulated time (when it changed), then the text. */
  private row(at: string | undefined, text: string): void {
    const time = at === undefined ? undefined : this.time(at);
    const shown = time !== undefined && time !== this.shownTime ? time : "";
    if (time !== undefined) this.shownTime = time;
    this.lines.push(`${shown.padEnd(TIME_WIDTH)}  ${text}`);
  }

  private time(iso: string): string {
    return localTime(iso, this.result.timeZone);
  }
}
