import type { ExpectationResult, ScenarioResult, StepResult } from "../run/result.ts";
import { describeAction } from "./action.ts";
import { eventLine } from "./event-line.ts";
import { nameBook, type NameBook } from "./names.ts";
import { prettyScenario } from "./pretty.ts";
import { reportedFile, type InvalidScenario, type Reporter, type ReporterOptions } from "./reporter.ts";
import { formatPath } from "../format/problems.ts";
import { localTime } from "./time.ts";
import { xmlAttr, xmlText } from "./xml.ts";

/**
 * JUnit XML for CI (the Jenkins xUnit plugin's junit-10.xsd dialect, which Jenkins, GitLab and GitHub test
 * reporters read): one `<testsuite>` per scenario, one `<testcase>` per expectation, a step whose action
 * failed unexpectedly as a testcase with `<error>`, a file that could not be run as a suite with one
 * `<error>` case, and the narrated transcript in `<system-out>`. Each case carries `file` (relative to the
 * working directory) and `line` (of the check itself), so CI annotations point at it; `time` is real
 * seconds (a step's playing time goes to its first case) and `timestamp` the real start, in UTC.
 */
export const junit: Reporter = (results, options) => {
  const suites = [...results.map((result, id) => suite(result, id, options)), ...(options.invalid ?? []).map((entry, n) => invalidSuite(entry, results.length + n, options))];
  const totals = results.map(counts).reduce((a, b) => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped }), {
    tests: options.invalid?.length ?? 0,
    failures: 0,
    errors: options.invalid?.length ?? 0,
    skipped: 0,
  });
  const time = seconds(results.reduce((sum, result) => sum + result.stats.wallMs, 0));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="heartlock" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}"${totals.skipped ? ` skipped="${totals.skipped}"` : ""} time="${time}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
};

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

function counts(result: ScenarioResult): Counts {
  if (result.skipped !== undefined) return { tests: 1, failures: 0, errors: 0, skipped: 1 };
  const errors = result.steps.filter((step) => step.error !== undefined).length;
  const skipped = result.expectations.filter((e) => e.skipped !== undefined).length;
  return { tests: result.expectations.length + errors, failures: result.expectations.filter((e) => !e.passed).length - skipped, errors, skipped };
}

function suite(result: ScenarioResult, id: number, options: ReporterOptions): string {
  const { scenario } = result;
  const names = nameBook(result);
  const classname = `heartlock.${scenario.name}`;
  const { tests, failures, errors, skipped } = counts(result);
  const file = scenario.file === undefined ? undefined : reportedFile(scenario.file, options);
  const where: CaseSite = { classname, ...(file !== undefined ? { file } : {}), stepTime: stepTimes(result) };
  const attrs = [
    `name="${xmlAttr(scenario.title)}"`,
    `tests="${tests}"`,
    `failures="${failures}"`,
    `errors="${errors}"`,
    `skipped="${skipped}"`,
    `time="${seconds(result.stats.wallMs)}"`,
    `timestamp="${timestamp(result.stats.ranAt ?? result.startedAt)}"`,
    `id="${id}"`,
    `package="${xmlAttr(classname)}"`,
    ...(file !== undefined ? [`file="${xmlAttr(file)}"`] : []),
  ];
  const properties: [string, string][] = [
    ["seed", String(result.seed)],
    ["transport", result.transport],
    ["timeZone", result.timeZone],
    ["simulatedStart", result.startedAt],
    ["simulatedEnd", result.endedAt],
    ["events", String(result.stats.events)],
    ["heartbeats", String(result.stats.heartbeats)],
  ];
  // Cases in timeline order: a failed action comes before the checks of its own step.
  const cases = [
    ...(result.skipped !== undefined ? [{ step: 0, rank: 0, xml: skippedScenarioCase(result.skipped, where) }] : []),
    ...result.steps.filter((step) => step.error !== undefined).map((step) => ({ step: step.index, rank: 0, xml: errorCase(step, where, result.timeZone) })),
    ...result.expectations.map((e, i) => ({ step: e.step, rank: 1 + i, xml: expectationCase(e, where, names) })),
  ].sort((a, b) => a.step - b.step || a.rank - b.rank);
  const transcript = prettyScenario(result, { verbose: options.verbose === true });
  return [
    `  <testsuite ${attrs.join(" ")}>`,
    "    <properties>",
    ...properties.map(([name, value]) => `      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`),
    "    </properties>",
    ...cases.map((c) => c.xml),
    `    <system-out>${xmlText(transcript)}</system-out>`,
    "  </testsuite>",
  ].join("\n");
}

/** Where a suite's cases point, and the real time each step took (handed out once per step). */
interface CaseSite {
  readonly classname: string;
  readonly file?: string;
  readonly stepTime: (step: number) => number;
}

function stepTimes(result: ScenarioResult): (step: number) => number {
  const given = new Set<number>();
  return (step) => {
    if (given.has(step)) return 0;
    given.add(step);
    return result.stats.stepWallMs?.[step] ?? 0;
  };
}

function caseAttrs(name: string, site: CaseSite, step: number, line: number | undefined): string {
  return [
    `classname="${xmlAttr(site.classname)}"`,
    `name="${xmlAttr(name)}"`,
    `time="${seconds(site.stepTime(step))}"`,
    ...(site.file !== undefined ? [`file="${xmlAttr(site.file)}"`] : []),
    ...(line !== undefined ? [`line="${line}"`] : []),
  ].join(" ");
}

function expectationCase(e: ExpectationResult, site: CaseSite, names: NameBook): string {
  const open = `    <testcase ${caseAttrs(`${e.description} (step ${e.step + 1})`, site, e.step, e.line)}`;
  if (e.skipped !== undefined) return [`${open}>`, `      <skipped message="${xmlAttr(e.skipped)}"/>`, "    </testcase>"].join("\n");
  if (e.passed) return `${open}/>`;
  const body = [
    `expected: ${e.expected}`,
    `found:    ${e.found}`,
    `checked:  ${localTime(e.at, names.timeZone)}${e.line !== undefined ? ` (line ${e.line})` : ""}`,
    ...(e.recentEvents.length ? ["recent events:", ...e.recentEvents.map((event) => `  ${eventLine(event, names)} ${JSON.stringify(event.data)}`)] : []),
  ].join("\n");
  const message = `${e.description}: expected ${e.expected}, found ${e.found}`;
  return [`${open}>`, `      <failure message="${xmlAttr(message)}" type="expectation">${xmlText(body)}</failure>`, "    </testcase>"].join("\n");
}

/** A scenario not played against a --target: one skipped case, so CI lists it and why. */
function skippedScenarioCase(reason: string, site: CaseSite): string {
  return [`    <testcase ${caseAttrs("the scenario is played against the target", site, 0, undefined)}>`, `      <skipped message="${xmlAttr(reason)}"/>`, "    </testcase>"].join("\n");
}

function errorCase(step: StepResult, site: CaseSite, timeZone: string): string {
  const what = step.action ? step.action.do : "step";
  const body = [
    step.error ?? "",
    `step ${step.index + 1}${step.line !== undefined ? ` (line ${step.line})` : ""} at ${localTime(step.at, timeZone)}`,
    ...(step.action ? [`action: ${describeAction(step.action)}`] : []),
    ...(step.say ? [`say: ${step.say}`] : []),
  ].join("\n");
  return [
    `    <testcase ${caseAttrs(`${what} (step ${step.index + 1})`, site, step.index, step.line)}>`,
    `      <error message="${xmlAttr(step.error ?? "")}" type="action">${xmlText(body)}</error>`,
    "    </testcase>",
  ].join("\n");
}

/** A file that could not be run: a suite of one errored case per file, at the first problem's line. */
function invalidSuite(entry: InvalidScenario, id: number, options: ReporterOptions): string {
  const file = reportedFile(entry.file, options);
  const first = entry.problems[0];
  const message = entry.problems.map((problem) => `${problem.line !== undefined ? `line ${problem.line}: ` : ""}${formatPath(problem.path) ? `${formatPath(problem.path)}: ` : ""}${problem.message}`).join("\n");
  const classname = `heartlock.${file.replace(/\.ya?ml$/i, "")}`;
  return [
    `  <testsuite name="${xmlAttr(file)}" tests="1" failures="0" errors="1" skipped="0" time="0.000" id="${id}" package="${xmlAttr(classname)}" file="${xmlAttr(file)}">`,
    `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(`${file} is a valid scenario`)}" time="0.000" file="${xmlAttr(file)}"${first?.line !== undefined ? ` line="${first.line}"` : ""}>`,
    `      <error message="${xmlAttr(message.split("\n")[0] ?? "")}" type="invalid_scenario">${xmlText(message)}</error>`,
    "    </testcase>",
    "  </testsuite>",
  ].join("\n");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** JUnit timestamps carry no fraction: "2026-12-02T01:40:12Z" (UTC). */
function timestamp(iso: string): string {
  const whole = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(iso)?.[0];
  return whole === undefined ? iso : `${whole}Z`;
}
