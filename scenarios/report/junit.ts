import type { ExpectationResult, ScenarioResult, StepResult } from "../run/result.ts";
import { describeAction } from "./action.ts";
import { eventLine } from "./event-line.ts";
import { nameBook, type NameBook } from "./names.ts";
import { prettyScenario } from "./pretty.ts";
import type { Reporter, ReporterOptions } from "./reporter.ts";
import { localTime } from "./time.ts";
import { xmlAttr, xmlText } from "./xml.ts";

/**
 * JUnit XML for CI (the Jenkins xUnit plugin's junit-10.xsd dialect, which Jenkins, GitLab and GitHub test
 * reporters read): one `<testsuite>` per scenario, one `<testcase>` per expectation, a step whose action
 * failed unexpectedly as a testcase with `<error>`, and the narrated transcript in `<system-out>`.
 * Times in the report are simulated, so the same seed gives the same XML apart from `time`.
 */
export const junit: Reporter = (results, options) => {
  const suites = results.map((result, id) => suite(result, id, options));
  const totals = results.map(counts).reduce((a, b) => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors }), {
    tests: 0,
    failures: 0,
    errors: 0,
  });
  const time = seconds(results.reduce((sum, result) => sum + result.stats.wallMs, 0));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="heartlock" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${time}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
};

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
}

function counts(result: ScenarioResult): Counts {
  const errors = result.steps.filter((step) => step.error !== undefined).length;
  return { tests: result.expectations.length + errors, failures: result.expectations.filter((e) => !e.passed).length, errors };
}

function suite(result: ScenarioResult, id: number, options: ReporterOptions): string {
  const { scenario } = result;
  const names = nameBook(result);
  const classname = `heartlock.${scenario.name}`;
  const { tests, failures, errors } = counts(result);
  const attrs = [
    `name="${xmlAttr(scenario.title)}"`,
    `tests="${tests}"`,
    `failures="${failures}"`,
    `errors="${errors}"`,
    'skipped="0"',
    `time="${seconds(result.stats.wallMs)}"`,
    `timestamp="${timestamp(result.startedAt)}"`,
    `id="${id}"`,
    `package="${xmlAttr(classname)}"`,
    ...(scenario.file !== undefined ? [`file="${xmlAttr(scenario.file)}"`] : []),
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
    ...result.steps.filter((step) => step.error !== undefined).map((step) => ({ step: step.index, rank: 0, xml: errorCase(step, classname, result.timeZone) })),
    ...result.expectations.map((e, i) => ({ step: e.step, rank: 1 + i, xml: expectationCase(e, classname, names) })),
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

function expectationCase(e: ExpectationResult, classname: string, names: NameBook): string {
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(`${e.description} (step ${e.step + 1})`)}" time="0"`;
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

function errorCase(step: StepResult, classname: string, timeZone: string): string {
  const what = step.action ? step.action.do : "step";
  const body = [
    step.error ?? "",
    `step ${step.index + 1}${step.line !== undefined ? ` (line ${step.line})` : ""} at ${localTime(step.at, timeZone)}`,
    ...(step.action ? [`action: ${describeAction(step.action)}`] : []),
    ...(step.say ? [`say: ${step.say}`] : []),
  ].join("\n");
  return [
    `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(`${what} (step ${step.index + 1})`)}" time="0">`,
    `      <error message="${xmlAttr(step.error ?? "")}" type="action">${xmlText(body)}</error>`,
    "    </testcase>",
  ].join("\n");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** JUnit timestamps carry no zone and no fraction: "2026-03-06T08:00:00" (UTC, simulated). */
function timestamp(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(iso)?.[0] ?? iso;
}
