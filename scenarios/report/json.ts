import type { ScenarioResult } from "../run/result.ts";
import type { Reporter } from "./reporter.ts";
import { summarize } from "./summary.ts";

/** The result's fields in the order a reader wants them: verdict and cast first, the long journal last. */
const ORDER: readonly (keyof ScenarioResult)[] = [
  "scenario",
  "passed",
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
 * Everything in the results, for tools: `{ summary, scenarios }`, two-space indented. Stable: each
 * scenario's fields come in a fixed order whatever order the runner built them in (fields it may add later
 * follow, sorted), so two runs of the same seed differ only in `wallMs`.
 */
export const json: Reporter = (results) => JSON.stringify({ summary: summarize(results), scenarios: results.map(ordered) }, null, 2) + "\n";

function ordered(result: ScenarioResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = result as unknown as Record<string, unknown>;
  for (const key of ORDER) out[key] = fields[key];
  for (const key of Object.keys(fields).sort()) if (!(key in out)) out[key] = fields[key];
  return out;
}
