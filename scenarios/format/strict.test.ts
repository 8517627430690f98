import { describe, expect, it } from "vitest";
import { planFromYaml } from "./load.ts";
import type { ScenarioError } from "./problems.ts";
import { rejection } from "./rejection.ts";
import { runScenario } from "../run-scenario.ts";

const story = (expect: string) => `title: Strict checks
summary: One phone, one lender.
objectives: [typos are errors]
devices:
  - { name: phone, account: acct }
timeline:
  - do: lender.default
    account: acct
    amount: 10 EUR
    expect:
      - { account: acct, standing: default }
      ${expect}
`;

const rejected = (text: string): ScenarioError => rejection(() => planFromYaml(text, "story.yaml"));

describe("strict event expectations", () => {
  it("rejects a misspelt event type at its line, with the nearest real type", () => {
    const error = rejected(story("- { event: command.isued, count: 0 }"));
    expect(error.message).toMatch(/^story\.yaml:12:\d+: timeline\[0\]\.expect\[1\]\.event: unknown event type "command\.isued" \(did you mean "command\.issued"\?\)/);
  });

  it("rejects an actor that never writes that event", () => {
    expect(rejected(story("- { event: command.issued, actor: lender }")).message).toContain('story.yaml:12:');
    expect(rejected(story("- { event: command.issued, actor: lender }")).message).toContain('"command.issued" is written by lock-service, never by "lender"');
  });

  it("rejects a data key the event does not carry, pointing at the key", () => {
    const error = rejected(story("- event: command.issued\n        data: { tpye: lock }"));
    expect(error.problems[0]?.path).toEqual(["timeline", 0, "expect", 1, "data", "tpye"]);
    expect(error.message).toMatch(/story\.yaml:13:17: .*has no data key "tpye" \(did you mean "type"\?\)/);
  });

  it("rejects a data value the event never has, and a regex that fits none of its values, at their lines", () => {
    const value = rejected(story("- { event: command.issued, data: { type: lokc }, count: 0 }"));
    expect(value.message).toMatch(/story\.yaml:12:\d+: timeline\[0\]\.expect\[1\]\.data\.type: "command\.issued" never has type "lokc" \(did you mean "lock"\?\); its type is one of none, remind, lock, unlock, release/);
    const regex = rejected(story('- { event: unlock_attempt.answered, data: { result: { matches: "^(invalid|cooldown)$" } } }'));
    expect(regex.message).toContain('data.result.matches: matches none of the values "unlock_attempt.answered" has for result: accepted, code_invalid, code_expired, too_many_attempts');
    expect(() => planFromYaml(story('- { event: unlock_attempt.answered, data: { result: { matches: "^(code_invalid|too_many_attempts)$" } }, count: 0 }'), "story.yaml")).not.toThrow();
  });

  it("rejects an expectError that is no problem code, and a count whose min is above its max", () => {
    const text = story("- { event: heartbeat, count: { min: 3, max: 1 } }").replace("    amount: 10 EUR\n", "    amount: 10 EUR\n    expectError: standing_not_gud\n");
    const error = rejected(text);
    expect(error.message).toContain('timeline[0].expectError: "standing_not_gud" is not allowed (did you mean "standing_not_good"?); use one of invalid_request,');
    expect(error.message).toContain("timeline[0].expect[1].count: min is above max: no count can match");
  });

  it("accepts the catalogue's own spelling", () => {
    expect(() => planFromYaml(story("- { event: command.issued, actor: lock-service, data: { type: lock }, within: PT7H }"), "story.yaml")).not.toThrow();
  });

  it("an account filter covers its phones' events, so 'no lock command reached this account' can fail", async () => {
    const text = story("- { event: command.issued, account: acct, data: { type: lock }, within: PT7H, count: 0 }");
    const result = await runScenario(planFromYaml(text, "story.yaml"));
    const verdict = result.expectations.find((e) => e.description.startsWith("command.issued"));
    expect(verdict?.passed).toBe(false);
    expect(verdict?.found).toMatch(/^1, first at/);
    // ... and the failure points at the check's own line, not the step's.
    expect(verdict?.line).toBe(12);
  });
});

describe("unknown keys", () => {
  it("are reported at the key, not at its value", () => {
    const error = rejected(story("- { device: phone, stat: locked }"));
    expect(error.message).toContain("story.yaml:12:26: timeline[0].expect[1].stat: unknown key \"stat\"");
  });
});
