import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "test-results-parser";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import type { ScenarioResult } from "../run/result.ts";
import { erroredRun, failingRun, passingRun } from "./fixtures.ts";
import { junit } from "./junit.ts";

/** The JUnit dialect CI consumers read, as an XML Schema written for this project (see its header). */
const SCHEMA = readFileSync(new URL("./junit.xsd", import.meta.url), "utf8");

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [SCHEMA] });
  return result.valid ? [] : result.errors.map((error) => error.message);
}

const attr = (xml: string, element: string, name: string): string | undefined =>
  new RegExp(`<${element}\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1];

describe("junit reporter", () => {
  it("writes a passing run that is valid against the JUnit schema", async () => {
    const xml = junit([passingRun()], {});
    expect(await schemaErrors(xml)).toEqual([]);
    expect(attr(xml, "testsuites", "failures")).toBe("0");
    expect(attr(xml, "testsuites", "tests")).toBe("4");
  });

  it("writes a failing run that is valid and counts exactly the failed expectations", async () => {
    const xml = junit([passingRun(), failingRun()], {});
    expect(await schemaErrors(xml)).toEqual([]);
    expect(attr(xml, "testsuites", "tests")).toBe("9");
    expect(attr(xml, "testsuites", "failures")).toBe("1");
    expect(attr(xml, "testsuites", "errors")).toBe("0");
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('<failure message="alice-phone is active: expected active, found locked" type="expectation">');
  });

  it("puts what was expected, what was found and the events before the check in the failure", () => {
    const failure = /<failure[^>]*>([\s\S]*?)<\/failure>/.exec(junit([failingRun()], {}))?.[1] ?? "";
    expect(failure).toContain("expected: active");
    expect(failure).toContain("found:    locked");
    expect(failure).toContain("(line 33)");
    expect(failure).toContain("owner.paid: The owner of alice-phone pays 49.99 EUR.");
  });

  it("names suites after scenarios and cases after expectations with their step", () => {
    const xml = junit([failingRun()], {});
    expect(attr(xml, "testsuite", "name")).toBe("Paying unlocks the phone at once (it does not)");
    expect(xml).toMatch(/<testcase classname="heartlock\.payment-unlocks-at-once" name="alice-phone is locked \(step 2\)" time="[\d.]+" file="[^"]*payment-unlocks-at-once\.yaml" line="27"\/>/);
    // With a root (the CLI passes its working directory), files are relative, as CI annotations expect.
    expect(junit([failingRun()], { root: new URL("./stories/", import.meta.url).pathname })).toContain('file="payment-unlocks-at-once.yaml" line="27"/>');
  });

  it("gives the suite an ISO timestamp in UTC without fraction (the real start when known) and its run time in seconds", () => {
    const xml = junit([passingRun()], {});
    expect(attr(xml, "testsuite", "timestamp")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(attr(xml, "testsuite", "timestamp")).not.toBe("2026-03-06T08:00:00Z"); // real time, not simulated
    expect(Number(attr(xml, "testsuite", "time"))).toBeGreaterThan(0);
    expect(attr(xml, "testsuite", "skipped")).toBe("0");
  });

  it("reports an action that failed unexpectedly as an error, still valid", async () => {
    const xml = junit([erroredRun()], {});
    expect(await schemaErrors(xml)).toEqual([]);
    expect(attr(xml, "testsuite", "errors")).toBe("1");
    expect(attr(xml, "testsuite", "tests")).toBe("6");
    expect(xml).toMatch(/<testcase [^>]*name="support.issue_code \(step 6\)"[^>]*>\s*<error message="409 standing_not_good[^"]*" type="action">/);
  });

  it("carries the narrated transcript in system-out", () => {
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(junit([passingRun()], {}))?.[1] ?? "";
    expect(out).toContain("The lock service tells alice-phone to lock.");
    expect(out).toContain("Fri 6 Mar 18:00");
  });

  it("stays valid XML when scenario text holds markup, quotes and control characters XML 1.0 forbids", async () => {
    const base = failingRun();
    const nasty = 'Bell \u0007, escape \u001b[31m, NUL \u0000, <b>&amp;</b> "quoted" \'single\' ]]> tab\tend';
    const result: ScenarioResult = {
      ...base,
      scenario: { ...base.scenario, title: nasty, name: "nasty<&>" },
      expectations: base.expectations.map((e) => ({ ...e, description: nasty, found: nasty })),
    };
    const xml = junit([result], {});
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain("\\u001B[31m");
  });

  it("is read by a real JUnit consumer (test-results-parser, behind TestBeats) with the same totals and failures", () => {
    const file = join(mkdtempSync(join(tmpdir(), "heartlock-junit-")), "report.xml");
    writeFileSync(file, junit([passingRun(), failingRun(), erroredRun()], {}));
    const read = parse({ type: "junit", files: [file] });
    expect(read.status).toBe("FAIL");
    expect(read.suites.map((suite) => [suite.name, suite.total, suite.failed, suite.errors])).toEqual([
      [passingRun().scenario.title, 4, 0, 0],
      [failingRun().scenario.title, 5, 1, 0],
      [erroredRun().scenario.title, 6, 1, 1],
    ]);
    const failed = read.suites.flatMap((suite) => suite.cases.filter((c) => c.status === "FAIL").map((c) => `${c.name}: ${c.failure}`));
    expect(failed).toHaveLength(3);
    expect(failed[0]).toBe("alice-phone is active (step 3): alice-phone is active: expected active, found locked");
    expect(failed).toContainEqual(expect.stringMatching(/^support\.issue_code \(step 6\): 409 standing_not_good: The lender/));
  });

  it("is checked for real: a document the schema forbids is reported invalid", async () => {
    const broken = junit([passingRun()], {}).replace(/<testcase classname=/, "<testcase nom=").replace(/ name="account alice[^"]*"/, "");
    expect(await schemaErrors(broken)).not.toEqual([]);
  });
});
