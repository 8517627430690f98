import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { FLEET_DIR } from "../scenarios/fleets.ts";
import { planFromFile, resolveScenarioFile } from "../scenarios/library.ts";
import type { JournalMode } from "../scenarios/run/runner.ts";

/**
 * The fleet-sized scenarios the studio can put on stage beside the library (scenarios/fleets/), and the journal
 * a stage keeps: from FLEET_PHONES phones up, routine heartbeats are folded (see core/fleet-journal.ts), so a
 * thousand phones for a month fit in the page's welcome and the server's memory.
 */
export const FLEET_PHONES = 200;

export function fleetNames(): string[] {
  if (!existsSync(FLEET_DIR)) return [];
  return readdirSync(FLEET_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => file.replace(/\.ya?ml$/, ""));
}

/** The file of a library scenario (or any scenario file), or of a fleet scenario. */
export function stageFile(name: string): string {
  return fleetNames().includes(name) ? join(FLEET_DIR, `${name}.yaml`) : resolveScenarioFile(name);
}

/** A library scenario's plan, or a fleet scenario's. */
export function stagePlan(name: string): ScenarioPlan {
  return planFromFile(stageFile(name));
}

export function journalFor(plan: ScenarioPlan): JournalMode {
  return plan.devices.length >= FLEET_PHONES ? "fleet" : "full";
}
