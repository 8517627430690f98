import { describe, expect, it } from "vitest";
import type { Scenario } from "../format/schema.ts";
import { runScenario } from "../run-scenario.ts";

/** One financed phone on account "acct" in Berlin, starting Monday 2 March 2026 09:00; add a timeline. */
function story(timeline: Scenario["timeline"], extra: Partial<Scenario> = {}): Scenario {
  return {
    title: "test",
    summary: "one phone",
    objectives: ["test the runner"],
    seed: 3,
    timeZone: "Europe/Berlin",
    devices: [{ name: "phone", account: "acct" }],
    timeline,
    ...extra,
  };
}

const missedPayment = { do: "lender.default", account: "acct", amount: "49.99 EUR" } as const;

describe("playing a scenario", () => {
  it("decides a `within` expectation when its window closes, counting from the step's time on", async () => {
    const result = await runScenario(
      story([
        { after: "PT1H", ...missedPayment, expect: [{ event: "command.issued", device: "phone", within: "PT7H" }, { event: "sync.completed", within: "P1D", count: 0 }] },
        { after: "PT2H", say: "later step, before the window closes" },
      ]),
      { transport: "direct" },
    );
    expect(result.expectations.map((e) => [e.description, e.passed, e.at])).toEqual([
      ["command.issued (phone) happens within PT7H", true, "2026-03-02T16:00:00.000Z"],
      ["sync.completed does not happen within P1D", true, "2026-03-03T09:00:00.000Z"],
    ]);
    expect(result.passed).toBe(true);
    expect(result.endedAt).toBe("2026-03-03T09:00:00.000Z");
  });

  it("reports what a failed expectation expected, what it found, and the events just before it", async () => {
    const result = await runScenario(story([{ after: "PT1H", ...missedPayment, expect: [{ device: "phone", state: "locked" }, { event: "command.issued", within: "PT1M" }] }]), {
      transport: "direct",
    });
    expect(result.passed).toBe(false);
    const [state, event] = result.expectations;
    expect(state).toMatchObject({ passed: false, description: "phone is locked", expected: "locked", found: "active" });
    expect(state?.recentEvents.map((e) => e.type)).toContain("default.reported");
    expect(state?.recentEvents.length).toBeGreaterThan(3);
    expect(event).toMatchObject({ passed: false, found: "none", expected: "at least 1 within PT1M" });
  });

  it("treats a refusal named by expectError as the story, and an unexpected success or failure as a failed step", async () => {
    const result = await runScenario(
      story([
        { after: "PT1H", ...missedPayment },
        { after: "PT1M", say: "support cannot help yet", do: "support.issue_code", device: "phone", expectError: "standing_not_good" },
        { after: "PT1M", do: "owner.enter_code", device: "phone" },
        { after: "PT1M", do: "lender.complete", account: "acct", expectError: "conflict" },
      ]),
      { transport: "direct" },
    );
    expect(result.steps[1]?.outcome).toMatch(/^refused as expected: standing_not_good/);
    expect(result.steps[1]?.error).toBeUndefined();
    expect(result.steps[2]?.error).toContain("support has not issued a code for phone yet");
    expect(result.steps[3]?.error).toMatch(/^expected the call to fail with conflict, but it succeeded/);
    expect(result.passed).toBe(false);
  });

  it("plays an owner's code from support: the phone restarts and comes back unlocked", async () => {
    const result = await runScenario(
      story([
        { after: "PT1H", ...missedPayment },
        { after: "PT7H", expect: { device: "phone", state: "locked" } },
        { do: "lender.payment", account: "acct", amount: "49.99 EUR" },
        { after: "PT5M", say: "the lender shows it paid; the sync is still pending", do: "support.issue_code", device: "phone", expect: { account: "acct", sync: "pending" } },
        { after: "PT5M", do: "owner.enter_code", device: "phone", expect: { device: "phone", screen: { kind: "restarting" } } },
        { after: "PT2M", expect: [{ device: "phone", state: "active", screen: { kind: "home", allows: ["all_apps"] } }, { event: "device.unlocked_by_code", device: "phone", since: "PT10M", count: 1 }] },
      ]),
      { transport: "direct" },
    );
    expect(result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(result.steps[4]?.outcome).toMatch(/^phone: code \d{8} → accepted$/);
  });

  it("acts on every phone of a fleet and judges each one", async () => {
    const result = await runScenario(
      story([{ after: "PT1H", do: "owner.go_offline", device: "fleet", expect: [{ device: "fleet", state: "active" }, { event: "device.offline", device: "fleet", count: 3 }] }], {
        devices: [{ name: "fleet", count: 3, account: "shop-{n}" }],
      }),
      { transport: "direct" },
    );
    expect(result.expectations.map((e) => e.description)).toEqual(["fleet-1 is active", "fleet-2 is active", "fleet-3 is active", "device.offline (fleet) happens 3 times by now"]);
    expect(result.passed).toBe(true);
    expect(Object.keys(result.screens)).toEqual(["fleet-1", "fleet-2", "fleet-3"]);
  });

  it("counts later steps from after a facilitator's clock jump, and uses the sync delay a step sets", async () => {
    const result = await runScenario(
      story([
        { after: "PT1H", do: "facilitator.advance", by: "P1D" },
        { after: "PT1H", do: "sync.delay", min: "PT2H" },
        { do: "lender.payment", account: "acct", amount: "10 EUR", expect: { account: "acct", sync: "pending" } },
        { after: "PT2H", expect: [{ account: "acct", sync: "idle" }, { event: "sync.completed", since: "PT1M", count: 1 }] },
      ]),
      { transport: "direct" },
    );
    expect(result.steps.map((step) => step.at)).toEqual(["2026-03-02T09:00:00.000Z", "2026-03-03T10:00:00.000Z", "2026-03-03T10:00:00.000Z", "2026-03-03T12:00:00.000Z"]);
    expect(result.steps[2]?.outcome).toContain("sync expected by 2026-03-03 13:00");
    expect(result.passed).toBe(true);
  });

  it("records a sale in the journal and wipes the phone for its buyer", async () => {
    const result = await runScenario(story([{ after: "PT1H", do: "owner.sell", device: "phone", to: "Bob" }, { after: "PT5M", expect: { device: "phone", state: "active" } }]), { transport: "direct" });
    const sold = result.journal.find((event) => event.type === "owner.sold");
    expect(sold).toMatchObject({ actor: "owner", data: { to: "Bob", imei: result.devices.phone?.imei } });
    expect(result.journal.filter((event) => event.type === "device.factory_reset")).toHaveLength(1);
    expect(result.passed).toBe(true);
  });

  it("gives the same journal for the same seed, and another one for another seed", async () => {
    const timeline: Scenario["timeline"] = [{ after: "PT1H", do: "lender.payment", account: "acct", amount: "10 EUR" }, { after: "P3D" }];
    const [a, b, c] = [await runScenario(story(timeline), { transport: "direct" }), await runScenario(story(timeline), { transport: "direct" }), await runScenario(story(timeline), { transport: "direct", seed: 99 })];
    expect(JSON.stringify(b.journal)).toBe(JSON.stringify(a.journal));
    expect(JSON.stringify(c.journal)).not.toBe(JSON.stringify(a.journal));
  });
});
