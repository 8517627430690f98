import { describe, expect, it } from "vitest";
import { ScenarioError } from "./problems.ts";
import { planFromYaml, plansFromYaml } from "./load.ts";
import { rejection } from "./rejection.ts";
import { runScenario } from "../run-scenario.ts";

function billionLaughs(levels: number): string {
  const names = "abcdefghijklmnop";
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let n = 1; n < levels; n += 1) lines.push(`${names[n]}: &${names[n]} [${Array.from({ length: 9 }, () => `*${names[n - 1]}`).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

describe("loading is safe", () => {
  it("refuses an alias bomb with a ScenarioError at the first alias, in well under a second and without growing the heap", () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const error = rejection(() => planFromYaml(billionLaughs(9), "bomb.yaml"));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/^bomb\.yaml:2:\d+: aliases expand to too much/);
  });

  it("refuses a file over the size limit before parsing it", () => {
    const started = performance.now();
    const error = rejection(() => planFromYaml(`title: t\n${"# padding\n".repeat(600_000)}`, "big.yaml"));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toMatch(/^big\.yaml:1:1: is \d+ KiB; a scenario file may be at most 256 KiB/);
  });

  it("an alias used before its anchor is a located ScenarioError, not a ReferenceError", () => {
    expect(rejection(() => planFromYaml("title: *nowhere\n", "early.yaml")).message).toMatch(/^early\.yaml:/);
  });

  it("expands YAML merge keys, so a shared block can be reused", () => {
    const plan = planFromYaml(
      `title: Merge keys
summary: Two phones share a base.
objectives: [reuse]
devices:
  - &base { name: one, account: acct, model: Pixel 8a }
  - { <<: *base, name: two }
timeline:
  - expect: { device: two, state: active }
`,
      "merge.yaml",
    );
    expect(plan.devices.map((device) => [device.name, device.model])).toEqual([
      ["one", "Pixel 8a"],
      ["two", "Pixel 8a"],
    ]);
  });

  it("a matrix placeholder unquoted in a flow mapping is one problem with the fix, and quoted it keeps its type", () => {
    const story = (count: string) => `title: Matrix in flow style
summary: A fleet sized by the matrix.
objectives: [placeholders in flow mappings]
matrix: { n: [1, 2] }
devices:
  - { name: shop, count: ${count}, account: "shop-{n}" }
timeline:
  - after: PT1H
    expect: { event: device.enrolled, device: shop, count: ${count} }
`;
    const error = rejection(() => planFromYaml(story("${n}"), "flow.yaml"));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toBe('flow.yaml:6:26: a matrix placeholder inside { … } or [ … ] must be quoted: "${n}" (a quoted placeholder that is the whole value still takes the value\'s type, so count: "${n}" is a number)');
    expect(plansFromYaml(story('"${n}"'), "flow.yaml").map((plan) => plan.devices.length)).toEqual([1, 2]);
  });

  it("runScenario always returns a promise: an invalid scenario rejects, it never throws", async () => {
    const pending = runScenario("no-such-scenario-anywhere");
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBeInstanceOf(ScenarioError);
    await expect(runScenario({ title: "bad" } as never)).rejects.toBeInstanceOf(ScenarioError);
  });
});
