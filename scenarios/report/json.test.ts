import { describe, expect, it } from "vitest";
import type { ScenarioResult } from "../run/result.ts";
import { failingRun, passingRun } from "./fixtures.ts";
import { json } from "./json.ts";

describe("json reporter", () => {
  it("holds every result whole, so a tool can read back exactly what the runner produced", () => {
    const results = [passingRun(), failingRun()];
    const parsed = JSON.parse(json(results, { timings: true })) as { scenarios: unknown[] };
    // Steps and verdicts are numbered from 1 in `step`, as every reporter prints them.
    const numbered = results.map((result) => ({
      ...result,
      steps: result.steps.map(({ index, ...step }) => ({ step: index + 1, ...step })),
      expectations: result.expectations.map((e) => ({ ...e, step: e.step + 1 })),
    }));
    expect(parsed.scenarios).toEqual(JSON.parse(JSON.stringify(numbered)));
  });

  it("adds a summary of the whole run", () => {
    const parsed = JSON.parse(json([passingRun(), failingRun()], {})) as { summary: Record<string, number> };
    expect(parsed.summary).toMatchObject({ scenarios: 2, passed: 1, failed: 1, expectations: 9, failedExpectations: 1 });
  });

  it("is stable: the same run gives the same text whatever order the runner built its fields in", () => {
    const run = passingRun();
    const reversed = Object.fromEntries(Object.entries(run).reverse()) as unknown as ScenarioResult;
    expect(json([reversed], {})).toBe(json([run], {}));
    expect(json([passingRun()], {})).toBe(json([run], {}));
  });

  it("puts the verdict first and the long journal last", () => {
    const keys = Object.keys((JSON.parse(json([passingRun()], {})) as { scenarios: Record<string, unknown>[] }).scenarios[0] ?? {});
    expect(keys.slice(0, 2)).toEqual(["scenario", "passed"]);
    expect(keys.at(-1)).toBe("journal");
  });
});
