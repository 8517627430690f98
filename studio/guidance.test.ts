import { afterEach, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { guidance } from "./guidance.ts";
import { studioState } from "./snapshot.ts";
import { Stage } from "./stage.ts";

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

describe("the guidance line", () => {
  it("says what happens next and what to press, after each action of the workshop", { timeout: 30_000 }, async () => {
    stage = await Stage.open({ wall: new ManualWall(0) });
    const line = () => guidance(studioState(stage!.current, 0), "amara-phone");
    await stage.clock({ op: "step" });
    expect(line()).toMatch(/Report missed installment/);
    await stage.act({ do: "lender.default", account: "amara", amount: "50.00 EUR" });
    expect(line()).toMatch(/learns of it at its next heartbeat \(.+\)\. Step to next event/);
    while (studioState(stage.current, 0).devices[0]?.screen.kind !== "locked") await stage.clock({ op: "step" });
    expect(line()).toMatch(/payment app/);
    await stage.act({ do: "owner.pay", device: "amara-phone", amount: "50.00 EUR" });
    expect(line()).toMatch(/expected by .+: Step to next event, or Support: Refresh the sync now/);
    await stage.act({ do: "support.refresh", device: "amara-phone" });
    expect(line()).toMatch(/unlocks at its next heartbeat/);
    await stage.act({ do: "support.issue_code", device: "amara-phone" });
    await stage.act({ do: "owner.enter_code", device: "amara-phone" });
    expect(line()).toMatch(/restarting: Step to next event/);
    await stage.clock({ op: "step" });
    expect(studioState(stage.current, 0).devices[0]?.screen.kind).toBe("home");
  });

  it("says when a scenario has finished, the clock paused", { timeout: 30_000 }, async () => {
    stage = await Stage.open({ wall: new ManualWall(0) });
    await stage.load("missed-payment-lock");
    stage.current.director.play();
    await stage.clock({ op: "jump", by: "P30D" });
    const state = studioState(stage.current, 0);
    expect(state.stage.finished).toBe(true);
    expect(state.clock.playing).toBe(false);
    expect(guidance(state)).toMatch(/^Scenario finished \(\d+ of \d+ checks passed\), the clock paused/);
  });
});
