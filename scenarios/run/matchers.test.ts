import { describe, expect, it } from "vitest";
import { planFromYaml } from "../format/load.ts";
import type { ScenarioError } from "../format/problems.ts";
import { rejection } from "../format/rejection.ts";
import { runScenario } from "../run-scenario.ts";

const story = (expect: string, extra = "") => `title: Matchers
summary: One phone defaults, is locked, and is paid.
objectives: [ordering, windows, comparisons, API views]
devices:
  - { name: phone, account: acct }
timeline:
  - do: lender.default
    account: acct
    amount: 10 EUR
  - after: PT8H
    do: lender.payment
    account: acct
    amount: 10 EUR
${extra}  - after: P3D
    expect:
      ${expect}
`;

async function verdicts(expect: string, extra = "") {
  const result = await runScenario(planFromYaml(story(expect, extra), "story.yaml"));
  return result.expectations;
}
const rejected = (text: string): ScenarioError => rejection(() => planFromYaml(text, "story.yaml"));

describe("ordering and windows", () => {
  it("before: the lock command is issued before the payment is recorded, and not after it", async () => {
    const [lockBefore, lockAfter, unlockAfter] = await verdicts(`- { event: command.issued, data: { type: lock }, before: payment.recorded }
      - { event: command.issued, data: { type: lock }, after: payment.recorded, count: 0 }
      - { event: command.issued, data: { type: unlock }, after: payment.recorded }`);
    expect(lockBefore?.passed).toBe(true);
    expect(lockAfter?.passed).toBe(true);
    expect(unlockAfter?.passed).toBe(true);
    expect(lockBefore?.description).toContain("before the first payment.recorded");
  });

  it("a phone's filter anchors at its account's events, so a device-filtered ordering check can fail", async () => {
    // payment.recorded names the account, not the phone: the anchor must be the payment of the phone's account.
    const [lockAfter, unlockAfter, unlockBefore, payment] = await verdicts(`- { event: command.issued, device: phone, data: { type: lock }, after: payment.recorded, count: 0 }
      - { event: command.issued, device: phone, data: { type: unlock }, after: payment.recorded, count: 0 }
      - { event: command.issued, device: phone, data: { type: unlock }, before: payment.recorded }
      - { event: payment.recorded, device: phone, count: 1 }`);
    expect(lockAfter?.passed).toBe(true);
    expect(unlockAfter?.passed).toBe(false);
    expect(unlockAfter?.description).not.toContain("which has not happened");
    expect(unlockBefore?.passed).toBe(false);
    expect(payment?.passed).toBe(true);
  });

  it("after an event that never happens counts nothing, and says so", async () => {
    const [verdict] = await verdicts("- { event: command.issued, after: loan.completed }");
    expect(verdict?.passed).toBe(false);
    expect(verdict?.description).toContain("(which has not happened)");
  });

  it("between a window of local times counts only what falls inside it", async () => {
    const [first, later] = await verdicts(`- { event: default.reported, between: { from: "2026-03-02T08:00", until: "2026-03-02T10:00" }, count: 1 }
      - { event: default.reported, between: { from: "2026-03-03T00:00", until: "2026-03-04T00:00" }, count: 0 }`);
    expect(first?.passed).toBe(true);
    expect(later?.passed).toBe(true);
    expect(first?.expected).toContain("between 2026-03-02T08:00 and 2026-03-02T10:00");
  });
});

describe("comparisons on event data", () => {
  it("compares numbers with gt/gte/lt/lte and text with a regular expression", async () => {
    const [seq, notYet, id, wrong] = await verdicts(`- { event: heartbeat, data: { seq: { gte: 2, lt: 1000 } } }
      - { event: heartbeat, data: { seq: { gt: 100000 } }, count: 0 }
      - { event: command.issued, data: { commandId: { matches: "." } } }
      - { event: command.issued, data: { type: { matches: "^rel" } }, count: 0 }`);
    expect([seq?.passed, notYet?.passed, id?.passed, wrong?.passed]).toEqual([true, true, true, true]);
    expect(seq?.description).toContain("seq >= 2 and < 1000");
  });

  it("rejects a regular expression that does not compile, at its line", () => {
    const error = rejected(story('- { event: command.issued, data: { type: { matches: "([" } } }'));
    expect(error.message).toMatch(/story\.yaml:16:\d+: timeline\[2\]\.expect\[0\]\.data\.type\.matches: is not a regular expression/);
  });

  it("rejects a misspelt comparison and a misspelt ordering event", () => {
    expect(rejected(story("- { event: heartbeat, data: { seq: { gtee: 2 } } }")).message).toContain("story.yaml:16:44: timeline[2].expect[0].data.seq.gtee: unknown key \"gtee\"");
    expect(rejected(story("- { event: heartbeat, before: payment.recordd }")).message).toMatch(/story\.yaml:16:\d+: .*before: unknown event type "payment\.recordd" \(did you mean "payment\.recorded"\?\)/);
  });
});

describe("screens, support's lookup and the lender's view", () => {
  it("disallows: a locked phone does not offer what it must not", async () => {
    const result = await runScenario(
      planFromYaml(story("- { device: phone, state: active }", `  - after: PT1H
    expect: { device: phone, state: locked, screen: { disallows: [enter_offline_code] } }
`).replace("after: PT8H", "after: PT20H"), "story.yaml"),
    );
    const verdict = result.expectations.find((e) => e.description.includes("does not allow"));
    expect(verdict?.passed).toBe(true);
  });

  it("support's lookup and the lender's account view are read through the API and journaled", async () => {
    const text = story(`- support: { device: phone, standing: good, sync: idle, state: active }
      - lender: { account: acct, standing: good, devices: 1, locking: false }
      - lender: { account: acct, standing: default }`);
    const result = await runScenario(planFromYaml(text, "story.yaml"));
    const [state, standing, sync, lenderStanding, devices, locking, wrong] = result.expectations;
    expect([state, standing, sync, lenderStanding, devices, locking].every((verdict) => verdict?.passed)).toBe(true);
    expect(wrong?.passed).toBe(false);
    expect(wrong?.found).toBe("good");
    expect(result.journal.some((event) => event.type === "device.looked_up")).toBe(true);
    expect(result.journal.some((event) => event.type === "account.viewed")).toBe(true);
  });

  it("a lookup of a name the scenario does not have is an invalid file", () => {
    expect(rejected(story("- support: { device: phon }")).message).toContain('no device named "phon"');
  });
});

describe("tamper and power-off", () => {
  it("owner.tamper locks the phone with an offline challenge; owner.power_off stops its heartbeats until power_on", async () => {
    const text = `title: Tamper and power
summary: One phone is switched off, on, and tampered with.
objectives: [owner actions]
devices:
  - { name: phone, account: acct }
timeline:
  - after: PT1H
    do: owner.power_off
    device: phone
  - after: P1D
    expect: { event: heartbeat, since: PT23H, count: 0 }
  - do: owner.power_on
    device: phone
  - after: PT1H
    expect: { event: heartbeat, since: PT1H, count: { min: 1 } }
  - do: owner.tamper
    device: phone
    expect: { device: phone, state: locked, lockReason: tamper, screen: { allows: [enter_offline_code] } }
`;
    const result = await runScenario(planFromYaml(text, "tamper.yaml"));
    expect(result.expectations.map((e) => [e.description, e.passed])).toEqual(result.expectations.map((e) => [e.description, true]));
    expect(result.journal.some((event) => event.type === "device.powered_off")).toBe(true);
  });
});
