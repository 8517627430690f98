import type { ScenarioPlan } from "../scenarios/format/plan.ts";
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

/**
 * The plans one thread of `heartlock run --jobs` made while the files were checked, by the name it was given
 * and by the resolved file, so a run of a file this thread planned is played without reading it again. Plans
 * hold class instances and cannot cross threads; each thread keeps its own.
 */
export type PlanCache = Map<string, { readonly plans: readonly ScenarioPlan[]; readonly played: Set<number> }>;

/** Reads and plans a file (a ScenarioError when it is invalid) and keeps its plans. */
export function planFile(cache: PlanCache, file: string): ScenarioPlan[] {
  const plans = plansFromFile(file);
  const entry = { plans, played: new Set<number>() };
  cache.set(file, entry);
  for (const plan of plans) if (plan.file !== undefined) cache.set(plan.file, entry);
  return plans;
}

/**
 * Plays a task from the kept plan when there is one not played yet (a file named twice is planned and played
 * twice, as in a serial run), else plans its file here. Gives what the serial run gives for the same plan.
 */
export function playPlanned(cache: PlanCache, task: RunTask): Promise<ScenarioResult> {
  const kept = cache.get(task.file);
  let plan: ScenarioPlan | undefined;
  if (kept !== undefined && !kept.played.has(task.variant)) {
    kept.played.add(task.variant);
    plan = kept.plans[task.variant];
  } else plan = plansFromFile(task.file)[task.variant];
  if (plan === undefined) return Promise.reject(new Error(`${task.file} has no variant ${task.variant}`));
  return runScenario(plan, { transport: task.transport, journal: task.journal, ...(task.seed !== undefined ? { seed: task.seed } : {}) });
}
