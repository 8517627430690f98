import { describe, expect, it } from "vitest";
import { planFromObject, planFromYaml } from "./load.ts";
import { ScenarioError } from "./problems.ts";
import { rejection } from "./rejection.ts";

const header = `title: A test story
summary: One phone, one lender.
objectives: [see that files are checked]
timeZone: Europe/Berlin
devices:
  - { name: phone, account: acct }
`;

const problemsOf = (text: string): ScenarioError => rejection(() => planFromYaml(text, "story.yaml"));

describe("loading a scenario file", () => {
  it("places steps by absolute, relative and business time in the scenario's zone", () => {
    const plan = planFromYaml(
      `${header}start: 2026-03-06T17:00
holidays: [2026-03-09]
timeline:
  - after: PT1H
    say: Friday evening
  - at: next business day 09:00
  - at: next friday 18:00
  - at: 2026-03-20T08:30
until: P1D
`,
      "story.yaml",
    );
    const local = plan.steps.map((step) => plan.calendar.localDateTime(step.at));
    // Monday 9 March is a holiday, so the next business day after Friday is Tuesday.
    expect(local).toEqual(["2026-03-06T18:00", "2026-03-10T09:00", "2026-03-13T18:00", "2026-03-20T08:30"]);
    expect(plan.calendar.localDateTime(plan.end)).toBe("2026-03-21T08:30");
    expect(plan.steps.map((step) => step.line)).toEqual([10, 12, 13, 14]);
  });

  it("expands a fleet into named phones, each with its own account when the account has {n}", () => {
    const plan = planFromObject({
      title: "Fleet",
      summary: "Many phones",
      objectives: ["fleets"],
      devices: [{ name: "fleet", count: 3, account: "shop-{n}" }, { name: "spare", financed: false }],
      timeline: [{ expect: { device: "fleet", state: "active" } }],
    });
    expect(plan.devices.map((device) => [device.name, device.account])).toEqual([
      ["fleet-1", "shop-1"],
      ["fleet-2", "shop-2"],
      ["fleet-3", "shop-3"],
      ["spare", undefined],
    ]);
    expect(plan.groups.get("fleet")).toEqual(["fleet-1", "fleet-2", "fleet-3"]);
    expect(new Set(plan.devices.map((device) => device.imei)).size).toBe(4);
  });

  it("rejects a YAML syntax error at its line", () => {
    const error = problemsOf(`${header}timeline:\n  - say: "unterminated\n    do: owner.reboot\n`);
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(8);
    expect(error.message).toMatch(/^story\.yaml:\d+:\d+: /);
  });

  it("rejects an unknown action, naming the actions there are, at the step's line", () => {
    const error = problemsOf(`${header}timeline:\n  - say: hello\n  - do: owner.explode\n    device: phone\n`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 9, path: ["timeline", 1, "do"] });
    expect(error.message).toContain('unknown action; "do" must be one of: lender.register, lender.default');
  });

  it("rejects a bad duration at its line and column", () => {
    const error = problemsOf(`${header}timeline:\n  - after: 3 days\n`);
    expect(error.problems[0]).toMatchObject({ line: 8, column: 12, path: ["timeline", 0, "after"] });
    expect(error.message).toContain("ISO-8601 duration");
  });

  it("rejects an expectation on a device that does not exist, listing the ones that do", () => {
    const error = problemsOf(`${header}timeline:\n  - after: PT1H\n    expect:\n      - device: phone\n        state: active\n      - device: tablet\n        state: locked\n`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 12, path: ["timeline", 0, "expect", 1, "device"] });
    expect(error.message).toContain('no device named "tablet"; this scenario has phone');
  });

  it("rejects a misspelt key instead of ignoring it", () => {
    const error = problemsOf(`${header}timeline:\n  - do: owner.reboot\n    devcie: phone\n`);
    const messages = error.problems.map((problem) => `${problem.line}: ${problem.message}`);
    expect(messages).toContain('9: unknown key "devcie"');
  });

  it("points into the expectation that was meant when one of its fields is wrong", () => {
    const error = problemsOf(`${header}timeline:\n  - expect: { device: phone, state: frozen }\n`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.path).toEqual(["timeline", 0, "expect", "state"]);
    expect(error.problems[0]?.line).toBe(8);
  });

  it("rejects a timeline that goes back in time, and an unknown time zone", () => {
    expect(problemsOf(`${header}timeline:\n  - at: 2026-03-05T10:00\n  - at: 2026-03-04T10:00\n`).message).toContain("goes back in time");
    const zone = problemsOf(header.replace("Europe/Berlin", "Mars/Olympus") + "timeline:\n  - after: PT1H\n");
    expect(zone.problems[0]).toMatchObject({ path: ["timeZone"], line: 4 });
  });

  it("reports every problem of a file at once", () => {
    const error = problemsOf(`${header}timeline:\n  - after: soon\n  - do: lender.default\n    account: nobody\n    amount: 10 EUR\n`);
    expect(error.problems.map((problem) => problem.line)).toEqual([8]);
    // The account reference is checked once the schema passes, so a second run finds it.
    const second = problemsOf(`${header}timeline:\n  - after: PT1H\n  - do: lender.default\n    account: nobody\n    amount: 10 EUR\n`);
    expect(second.message).toContain('story.yaml:10:14: timeline[1].account: no account named "nobody"');
  });
});
