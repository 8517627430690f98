import { describe, expect, it } from "vitest";
import { isRoutineHeartbeat } from "../core/fleet-journal.ts";
import type { ScenarioPlan } from "./format/plan.ts";
import { planFromYaml } from "./format/load.ts";
import { libraryFiles, planFromFile } from "./library.ts";
import { FLEET_DIR } from "./fleets.ts";
import { countedEventTypes } from "./run/runner.ts";
import type { ScenarioResult } from "./run/result.ts";
import { runScenario } from "./run-scenario.ts";

/**
 * The fleet journal folds routine heartbeats into counters; everything a scenario checks must come out the
 * same as with the full journal. The 1,000-phone month runs its first three days by default (two full runs of
 * a thousand phones cost ~20 s on each of CI's five Node runs); HEARTLOCK_FLEET_TEST=full runs all 30 days, and
 * .ci/run sets it for its main run.
 */
const THOUSAND = `${FLEET_DIR}/thousand-phones.yaml`;
const wholeMonth = process.env["HEARTLOCK_FLEET_TEST"] === "full";

function firstDays(plan: ScenarioPlan, days: number): ScenarioPlan {
  const end = plan.start + days * 86_400_000;
  return { ...plan, steps: plan.steps.filter((step) => step.at <= end), end };
}

/** What a run decided: every verdict and every step's outcome, with the journal seqs each step wrote. */
function decisions(result: ScenarioResult) {
  return {
    passed: result.passed,
    expectations: result.expectations.map(({ recentEvents: _recent, ...verdict }) => verdict),
    steps: result.steps,
    screens: result.screens,
    heartbeats: result.stats.heartbeats,
    endedAt: result.endedAt,
  };
}

async function bothModes(plan: ScenarioPlan): Promise<{ full: ScenarioResult; fleet: ScenarioResult }> {
  const full = await runScenario(plan, { transport: "direct" });
  const fleet = await runScenario(plan, { transport: "direct", journal: "fleet" });
  return { full, fleet };
}

function expectSameStory(plan: ScenarioPlan, { full, fleet }: { full: ScenarioResult; fleet: ScenarioResult }): void {
  expect(decisions(fleet)).toEqual(decisions(full));
  // Every event the fleet journal kept is the full journal's event, same seq, time and data; only routine heartbeats are missing.
  const keep = countedEventTypes(plan);
  const kept = full.journal.filter((event) => !isRoutineHeartbeat(event.type, event.data) || keep.has(event.type));
  expect(fleet.journal).toEqual(kept);
}

describe("the fleet journal mode", () => {
  it.each(libraryFiles().map((file) => [file.split("/").pop(), file] as const))("agrees with the full journal on every expectation of %s", async (_name, file) => {
    const plan = planFromFile(file);
    const runs = await bothModes(plan);
    expect(runs.full.passed).toBe(true);
    expectSameStory(plan, runs);
  });

  it("agrees when a folded type is an ordering anchor (after: heartbeat.answered, before: heartbeat)", async () => {
    const plan = planFromYaml(
      `title: Anchored on heartbeats
summary: One phone defaults; checks ordered by its heartbeats.
objectives: [anchors survive the fleet journal]
devices:
  - { name: p, account: a }
timeline:
  - { after: PT1H, do: lender.default, account: a, amount: 10 EUR }
  - after: PT8H
    expect:
      - { event: command.issued, device: p, data: { type: lock }, after: heartbeat.answered, count: 1 }
      - { event: device.state_changed, device: p, before: heartbeat, count: 1 }
`,
      "anchors.yaml",
    );
    const runs = await bothModes(plan);
    expect(runs.full.passed).toBe(true);
    expectSameStory(plan, runs);
  });

  it(
    `agrees with the full journal on every expectation of a 1,000-phone scenario (${wholeMonth ? "30 days" : "its first 3 days"}), keeping a fraction of the events`,
    async () => {
      const whole = planFromFile(THOUSAND);
      const plan = wholeMonth ? whole : firstDays(whole, 3);
      expect(plan.devices.length).toBe(1000);
      const runs = await bothModes(plan);
      expect(runs.full.passed).toBe(true);
      expect(runs.full.expectations.length).toBeGreaterThan(5);
      expectSameStory(plan, runs);
      expect(runs.fleet.journal.length).toBeLessThan(runs.full.journal.length / 4);
    },
    wholeMonth ? 600_000 : 180_000,
  );
});
