import type { ScenarioResult } from "../run/result.ts";
import { reportedFile, type Reporter, type ReporterOptions } from "./reporter.ts";
import { summarize } from "./summary.ts";

/** The result's fields in the order a reader wants them: verdict and cast first, the long journal last. */
const ORDER: readonly (keyof ScenarioResult)[] = [
  "scenario",
  "passed",
  "skipped",
  "seed",
  "transport",
  "timeZone",
  "startedAt",
  "endedAt",
  "stats",
  "devices",
  "steps",
  "expectations",
  "screens",
  "journal",
];

/**
 * Everything in the results, for tools: `{ summary, scenarios, invalid? }`, two-space indented. Byte-stable:
 * each scenario's fields come in a fixed order whatever order the runner built them in (fields it may add
 * later follow, sorted), and real timings are left out unless `timings` asks for them, so two runs of the
 * same seed give the same bytes. Steps and verdicts carry `step`, numbered from 1 like every other reporter.
 */
export const json: Reporter = (results, options) => {
  const invalid = (options.invalid ?? []).map((entry) => ({ file: reportedFile(entry.file, options), problems: entry.problems }));
  const summary = summarize(results, invalid.length);
  const { wallMs: _wallMs, ...untimed } = summary;
  return (
    JSON.stringify(
      {
        summary: options.timings ? summary : untimed,
        scenarios: results.map((result) => ordered(numbered(result, options))),
        ...(invalid.length > 0 ? { invalid } : {}),
      },
      null,
      2,
    ) + "\n"
  );
};

function numbered(result: ScenarioResult, options: ReporterOptions): Record<string, unknown> {
  const { wallMs, ranAt, stepWallMs, ...stats } = result.stats;
  return {
    ...result,
    scenario: { ...result.scenario, ...(result.scenario.file !== undefined ? { file: reportedFile(result.scenario.file, options) } : {}) },
    stats: options.timings ? { ...stats, wallMs, ...(ranAt !== undefined ? { ranAt } : {}), ...(stepWallMs !== undefined ? { stepWallMs } : {}) } : stats,
    steps: result.steps.map(({ index, ...step }) => ({ step: index + 1, ...step })),
    expectations: result.expectations.map((expectation) => ({ ...expectation, step: expectation.step + 1 })),
  };
}

function ordered(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ORDER) if (key in fields) out[key] = fields[key];
  for (const key of Object.keys(fields).sort()) if (!(key in out)) out[key] = fields[key];
  return out;
}
