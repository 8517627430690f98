import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { libraryFiles, planFromFile } from "../scenarios/library.ts";
import { playScenario } from "../scenarios/run/runner.ts";
import { timeOnce } from "./measure.ts";

export interface ScenarioTiming {
  readonly name: string;
  readonly ms: number;
  readonly heartbeats: number;
  readonly simulatedMs: number;
}

/**
 * The library as a workshop or CI runs it: every scenario in-process (through the Hono app), best of
 * `rounds` each after a warm-up, plus one cold pass over the whole library including reading and checking
 * the YAML files — the figure the "under 2 seconds" target is about.
 */
export async function scenarioLibrary(rounds = 3): Promise<{ scenarios: ScenarioTiming[]; wholeLibraryMs: number; loadMs: number }> {
  const { ms: loadMs, result: plans } = await timeOnce(async () => libraryFiles().map((file) => planFromFile(file)));
  const wholeLibrary = await timeOnce(async () => {
    for (const file of libraryFiles()) await playScenario(planFromFile(file), { transport: "in-process" });
  });
  const scenarios: ScenarioTiming[] = [];
  for (const plan of plans) scenarios.push(await bestOf(plan, rounds));
  return { scenarios, wholeLibraryMs: wholeLibrary.ms, loadMs };
}

async function bestOf(plan: ScenarioPlan, rounds: number): Promise<ScenarioTiming> {
  await playScenario(plan, { transport: "in-process" });
  let best = Infinity;
  let heartbeats = 0;
  let simulatedMs = 0;
  for (let i = 0; i < rounds; i++) {
    const { ms, result } = await timeOnce(() => playScenario(plan, { transport: "in-process" }));
    if (!result.passed) throw new Error(`${plan.name} failed while benchmarking`);
    best = Math.min(best, ms);
    heartbeats = result.stats.heartbeats;
    simulatedMs = result.stats.simulatedMs;
  }
  return { name: plan.name, ms: best, heartbeats, simulatedMs };
}
