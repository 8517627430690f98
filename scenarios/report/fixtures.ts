import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { planFromYaml } from "../format/load.ts";
import type { ScenarioResult } from "../run/result.ts";
import { runScenario } from "../run-scenario.ts";

/**
 * Real runs for the reporters' tests: the stories in ./stories/ played by the runner, so a test sees what
 * the runner really writes (a hand-made journal once hid a doubled "409 standing_not_good: 409 …"). Each is
 * played once, when this module loads; every call hands out a fresh copy. "Alice misses an installment on
 * Friday evening, the phone locks, she pays on Saturday, the sync lands on Monday in business hours"
 * (Europe/Berlin, default policy: a heartbeat every 6 hours, every 15 minutes while locked).
 */
const story = (name: string): { file: string; text: string } => {
  const file = fileURLToPath(new URL(`./stories/${name}.yaml`, import.meta.url));
  return { file, text: readFileSync(file, "utf8") };
};

async function play(name: string, edit: (text: string) => string = (text) => text): Promise<ScenarioResult> {
  const { file, text } = story(name);
  return runScenario(planFromYaml(edit(text), file), { transport: "direct" });
}

const MONTH_END = "2026-04-05T10:00";

const runs = {
  passing: await play("missed-payment-lock"),
  month: await play("missed-payment-lock", (text) => text.replace("until: 2026-03-09T18:00", `until: ${MONTH_END}`)),
  failing: await play("payment-unlocks-at-once"),
  errored: await play("code-too-early"),
  offline: await play("missed-payment-lock", (text) =>
    text.replace("until: 2026-03-09T18:00", "  - at: 2026-03-09T18:00\n    say: Alice flies abroad; the phone has no network.\n    do: owner.go_offline\n    device: alice-phone\nuntil: 2026-03-11T10:00"),
  ),
};

const copy = (result: ScenarioResult): ScenarioResult => structuredClone(result);

/** Every expectation holds. With `until` (a local time), the story runs on to then, as a 30-day one would. */
export function passingRun(until?: string): ScenarioResult {
  if (until !== undefined && until !== MONTH_END) throw new Error(`passingRun has a run until ${MONTH_END} only`);
  return copy(until === undefined ? runs.passing : runs.month);
}

/** The same story with the newcomer's expectation that paying unlocks at once: one expectation fails. */
export function failingRun(): ScenarioResult {
  return copy(runs.failing);
}

/** A run whose last action failed unexpectedly: support could not issue a code. */
export function erroredRun(): ScenarioResult {
  return copy(runs.errored);
}

/** The passing story with the phone out of coverage for its last two days: its heartbeats fail, again and again. */
export function offlineTail(): ScenarioResult {
  return copy(runs.offline);
}

export const IMEI = runs.passing.devices["alice-phone"]?.imei ?? "";
export const DEVICE_ID = runs.passing.devices["alice-phone"]?.deviceId ?? "";
