import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../scenarios/format/problems.ts";
import { plansFromFile } from "../scenarios/library.ts";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { runScenario } from "../scenarios/run-scenario.ts";
import { JobThreads } from "./jobs.ts";
import { summary } from "./plan-cache.ts";

/**
 * The workers' own path of `--jobs`: in a real run the main thread often plans and plays most items while a
 * worker is still loading (always so under tsx, which the tests use), so here the main thread takes nothing and
 * every file is planned, and every run played, on the workers. What comes back must be what this thread makes.
 */
describe("--jobs worker threads", { timeout: 120_000 }, () => {
  it("plan and play on the workers alone exactly what the main thread would: variants, an invalid file, results", async () => {
    const dir = mkdtempSync(join(tmpdir(), "heartlock-jobs-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "title: x\nsummary: y\nobjectives: [z]\nstart: 2026-03-02T09:00\ndevices: [{ name: p }]\ntimeline:\n  - expect: { device: q, locked: true }\n");
    const files = ["missed-payment-lock", bad, "scenarios/examples/payday-matrix.yaml", "on-time-payer"];
    const threads = new JobThreads(2, undefined, false);
    try {
      const planned = await threads.plan(files);
      const here = files.map((file) => {
        try {
          return { variants: plansFromFile(file).map(summary) };
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          return { invalid: { file: error.file, problems: error.problems } };
        }
      });
      expect(planned).toEqual(here);
      const tasks = ["missed-payment-lock", "on-time-payer"].map((file) => ({ file, variant: 0, transport: "in-process", journal: "full" }) as const);
      // Handed out heaviest first (the second task here), the results still come back in the tasks' order.
      const results = await threads.run(tasks, [1, 100]);
      const serial = await Promise.all(tasks.map((task) => runScenario(plansFromFile(task.file)[0]!, { transport: "in-process", journal: "full" })));
      // Everything but the wall-clock timings, which differ between any two runs.
      const untimed = (all: readonly ScenarioResult[]) => JSON.stringify(all.map(({ stats: { wallMs: _wall, ranAt: _ran, stepWallMs: _steps, ...stats }, ...rest }) => ({ ...rest, stats })));
      expect(untimed(results) === untimed(serial)).toBe(true);
      expect(results.map((result) => result.passed)).toEqual([true, true]);
    } finally {
      await threads.close();
    }
  });
});
