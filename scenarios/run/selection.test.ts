import { describe, expect, it } from "vitest";
import { planFromYaml } from "../format/load.ts";
import { rejection } from "../format/rejection.ts";
import { choose } from "../format/selection.ts";
import { runScenario } from "../run-scenario.ts";

const story = (extra = "") => `title: Part of a fleet
summary: Ten per cent of twenty phones lose their network; a pattern picks the teens.
objectives: [select part of a fleet for an action and a check]
devices:
  - { name: shop, count: 20, account: "shop-{n}" }
timeline:
  - after: PT1H
    do: owner.go_offline
    device: { fleet: shop, share: 10% }
    expect:
      - { event: device.offline, device: shop, count: 2 }
      - { event: device.offline, device: { fleet: shop, share: 10% }, count: 2 }
      - { device: { pattern: "shop-1?" }, state: active }
${extra}`;

const offline = (result: Awaited<ReturnType<typeof runScenario>>): unknown[] => result.journal.filter((event) => event.type === "device.offline").map((event) => event.data.imei);

describe("selecting part of a fleet", () => {
  it("a share picks ceil(share × n) phones; the same selection in a check names the same phones", async () => {
    const result = await runScenario(planFromYaml(story(), "fleet.yaml"));
    expect(result.expectations.filter((verdict) => !verdict.passed)).toEqual([]);
    // the pattern check ran once per matching phone: shop-10 to shop-19
    expect(result.expectations.filter((verdict) => verdict.description.endsWith("is active")).map((verdict) => verdict.description.split(" ")[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => `shop-${10 + i}`),
    );
  });

  it("is chosen by the seed: the same seed picks the same phones, another seed may pick others", async () => {
    const plan = planFromYaml(story(), "fleet.yaml");
    const first = offline(await runScenario(plan, { seed: 7 }));
    expect(offline(await runScenario(plan, { seed: 7 }))).toEqual(first);
    const names = Array.from({ length: 200 }, (_, i) => `p-${i}`);
    const picks = [1, 2, 3].map((seed) => choose(names, { fleet: "p", share: "10%" }, seed));
    expect(picks.map((pick) => pick.length)).toEqual([20, 20, 20]);
    expect(new Set(picks.map((pick) => pick.join())).size).toBeGreaterThan(1);
  });

  it("rejects a fleet that does not exist and a pattern that matches nothing, at their lines", () => {
    const bad = story().replace("device: { fleet: shop, share: 10% }", "device: { fleet: shpo, share: 10% }").replace('pattern: "shop-1?"', 'pattern: "shop-x*"');
    const message = rejection(() => planFromYaml(bad, "fleet.yaml")).message;
    expect(message).toMatch(/fleet\.yaml:9:\d+: timeline\[0\]\.device\.fleet: no fleet named "shpo"/);
    expect(message).toMatch(/fleet\.yaml:13:\d+: timeline\[0\]\.expect\[2\]\.device\.pattern: "shop-x\*" matches no device/);
    expect(rejection(() => planFromYaml(story().replace("share: 10%", "share: 110%"), "fleet.yaml")).message).toContain("fleet.yaml:9:");
  });

  it("rejects a share of nothing, whose checks would select no phone and never run", () => {
    for (const share of ["0%", "0.0 %", "0"]) {
      const message = rejection(() => planFromYaml(story().replace("share: 10%", `share: ${share}`), "fleet.yaml")).message;
      expect(message, share).toMatch(/fleet\.yaml:9:\d+: timeline\[0\]\.device\.share: must be above 0/);
    }
  });

  it("names the fleets, not every member, when a fleet name is wrong, and suggests the near one", () => {
    const message = rejection(() => planFromYaml(story().replace("device: { fleet: shop, share: 10% }", "device: { fleet: shops, share: 10% }"), "fleet.yaml")).message;
    expect(message).toContain('no fleet named "shops" (did you mean "shop"?); this scenario has the fleets shop');
    expect(message).not.toContain("shop-1");
  });
});
