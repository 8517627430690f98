import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { ScenarioError, type ScenarioProblem } from "../scenarios/format/problems.ts";
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

/** What the main thread needs of a planned variant to choose it (--tag, --grep) and to send it to a thread. */
export interface VariantSummary {
  readonly name: string;
  readonly title: string;
  readonly tags: readonly string[];
  /** The resolved file (plan.file), when the plan came from one. */
  readonly file?: string;
  /** How much playing it costs, roughly: phones × simulated hours (what decides its heartbeats). */
  readonly weight: number;
}

export function summary(plan: ScenarioPlan): VariantSummary {
  const hours = Math.max(1, (plan.end - plan.start) / 3_600_000);
  return { name: plan.name, title: plan.scenario.title, tags: plan.scenario.tags ?? [], ...(plan.file !== undefined ? { file: plan.file } : {}), weight: Math.max(1, plan.devices.length) * hours };
}

/** A file, read and planned: its variants, or the problems that make it invalid. Plain data, so it crosses threads. */
export type PlannedFile = { readonly variants: readonly VariantSummary[] } | { readonly invalid: { readonly file: string; readonly problems: readonly ScenarioProblem[] } };

/** Plans a file into the cache and says what came of it, on whichever thread it runs (any other error is thrown). */
export function planOutcome(cache: PlanCache, file: string): PlannedFile {
  try {
    return { variants: planFile(cache, file).map(summary) };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { invalid: { file: error.file, problems: error.problems } };
  }
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
