import { realElapsed, systemWall } from "../core/wall-clock.ts";
import { planFromObject } from "./format/load.ts";
import type { ScenarioPlan } from "./format/plan.ts";
import type { Scenario } from "./format/schema.ts";
import { planFromFile } from "./library.ts";
import { playScenario, type PlayOptions } from "./run/runner.ts";
import type { ScenarioResult } from "./run/result.ts";

/**
 * Runs one scenario for QA's own test suites: a YAML file, a library scenario's name, or a scenario object
 * built in code. Always returns a promise: it rejects with a ScenarioError (with lines, for files) when the
 * scenario is invalid; otherwise resolves to the journal, every expectation's verdict and the final screens,
 * passed or not.
 *
 *   const result = await runScenario("missed-payment-lock", { transport: "http" });
 *   expect(result.passed).toBe(true);
 */
export async function runScenario(fileOrObject: string | Scenario | ScenarioPlan, options: PlayOptions = {}): Promise<ScenarioResult> {
  const plan = typeof fileOrObject === "string" ? planFromFile(fileOrObject) : isPlan(fileOrObject) ? fileOrObject : planFromObject(fileOrObject);
  return playScenario(plan, { wallClock: realElapsed, wallTime: systemWall.now, ...options });
}

function isPlan(value: Scenario | ScenarioPlan): value is ScenarioPlan {
  return "steps" in value && "calendar" in value;
}
