import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchemaText } from "./format/json-schema.ts";
import { baseName } from "./format/load.ts";
import { libraryFiles, planFromFile, SCHEMA_FILE } from "./library.ts";
import type { ScenarioResult } from "./run/result.ts";
import { runScenario } from "./run-scenario.ts";
import { uncatalogued } from "./catalogue/drift.ts";

const files = libraryFiles();

/** What a failed library run says, so a red test shows the story's own explanation. */
function failures(result: ScenarioResult): string[] {
  return [
    ...result.steps.filter((step) => step.error !== undefined).map((step) => `step ${step.index} (${step.action?.do}): ${step.error}`),
    ...result.expectations.filter((e) => !e.passed).map((e) => `step ${e.step}: ${e.description}: expected ${e.expected}, found ${e.found}`),
  ];
}

describe("the scenario library", () => {
  it("has at least twelve scenarios, each teaching something and narrated", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      const plan = planFromFile(file);
      expect(plan.scenario.objectives.length, file).toBeGreaterThanOrEqual(1);
      const narrated = plan.steps.filter((step) => step.step.say !== undefined).length;
      expect(narrated / plan.steps.length, `${file}: share of steps with say:`).toBeGreaterThanOrEqual(0.5);
    }
  });

  it("names the committed JSON Schema in every file, and that schema is the one the zod schema generates", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8"), "run: npx heartlock schema --out scenarios/scenario.schema.json").toBe(scenarioJsonSchemaText());
    for (const file of files) expect(readFileSync(file, "utf8").split("\n")[0], file).toBe("# yaml-language-server: $schema=../scenario.schema.json");
  });

  describe.each(files.map((file) => [baseName(file), file] as const))("%s", (_name, file) => {
    it("passes through the Hono app in-process, and the same seed gives a byte-identical journal", async () => {
      const first = await runScenario(file, { transport: "in-process" });
      expect(failures(first)).toEqual([]);
      expect(first.passed).toBe(true);
      const again = await runScenario(file, { transport: "in-process" });
      expect(JSON.stringify(again.journal)).toBe(JSON.stringify(first.journal));
      // The catalogue the validator checks expectations against covers every event a real run writes.
      expect(uncatalogued(first.journal)).toEqual([]);
    });

    it("passes over real HTTP on loopback with the same journal", { timeout: 30_000 }, async () => {
      const [inProcess, http] = [await runScenario(file, { transport: "in-process" }), await runScenario(file, { transport: "http" })];
      expect(failures(http)).toEqual([]);
      expect(JSON.stringify(http.journal)).toBe(JSON.stringify(inProcess.journal));
    });
  });
});
