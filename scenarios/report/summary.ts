import type { ScenarioResult } from "../run/result.ts";
import { count, days } from "./time.ts";

export interface Summary {
  readonly scenarios: number;
  readonly passed: number;
  readonly failed: number;
  /** Scenarios not played: against a --target, they need Heartlock's own mock. */
  readonly skipped: number;
  /** Files that could not be run at all (invalid or unreadable). */
  readonly invalid: number;
  readonly expectations: number;
  readonly failedExpectations: number;
  /** Checks not decided (they need Heartlock's own mock): neither passed nor failed. */
  readonly skippedExpectations: number;
  readonly simulatedMs: number;
  readonly wallMs: number;
}

export function summarize(results: readonly ScenarioResult[], invalid = 0): Summary {
  const expectations = results.flatMap((result) => result.expectations);
  const passed = results.filter((result) => result.passed).length;
  const skipped = results.filter((result) => result.skipped !== undefined).length;
  const skippedExpectations = expectations.filter((expectation) => expectation.skipped !== undefined).length;
  return {
    scenarios: results.length,
    passed,
    failed: results.length - passed - skipped,
    skipped,
    invalid,
    expectations: expectations.length,
    failedExpectations: expectations.filter((expectation) => !expectation.passed).length - skippedExpectations,
    skippedExpectations,
    simulatedMs: results.reduce((sum, result) => sum + result.stats.simulatedMs, 0),
    wallMs: results.reduce((sum, result) => sum + result.stats.wallMs, 0),
  };
}

/** `2 scenarios, 1 passed, 1 failed; 8 expectations; 6.8 simulated days in 24 ms`. */
export function summaryLine(summary: Summary, options: { readonly timings?: boolean } = { timings: true }): string {
  return (
    `${count(summary.scenarios, "scenario")}, ${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ""}${summary.invalid ? `, ${summary.invalid} invalid` : ""}; ` +
    `${count(summary.expectations, "expectation")}${summary.skippedExpectations ? ` (${summary.skippedExpectations} skipped: they need Heartlock's own mock)` : ""}; ${days(summary.simulatedMs)} simulated days${options.timings === false ? "" : ` in ${Math.round(summary.wallMs)} ms`}`
  );
}
