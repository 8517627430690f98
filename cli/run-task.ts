import { plansFromFile } from "../scenarios/library.ts";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { runScenario } from "../scenarios/run-scenario.ts";

/** One run of `heartlock run`: a file, which of its matrix variants, and the run's options. Plain data, so a worker can take it. */
export interface RunTask {
  readonly file: string;
  readonly variant: number;
  readonly seed?: number | string;
  readonly transport: "in-process" | "http" | "direct";
  readonly journal: "full" | "fleet";
}

export async function runTask(task: RunTask): Promise<ScenarioResult> {
  const plan = plansFromFile(task.file)[task.variant];
  if (plan === undefined) throw new Error(`${task.file} has no variant ${task.variant}`);
  return runScenario(plan, { transport: task.transport, journal: task.journal, ...(task.seed !== undefined ? { seed: task.seed } : {}) });
}
