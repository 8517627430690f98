import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { ProblemError } from "../protocol/problem.ts";
import { secureCredentials } from "../mock-server/credentials.ts";
import { planFromFile } from "../scenarios/library.ts";
import { playScenario } from "../scenarios/run/runner.ts";
import { studioState } from "./snapshot.ts";
import { Stage } from "./stage.ts";

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

async function open(): Promise<Stage> {
  stage = await Stage.open({ wall: new ManualWall(0) });
  return stage;
}

async function refusal(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProblemError)) throw new Error(`expected a problem, got ${String(error)}`);
  return error;
}

describe("the studio's stage", () => {
  it("opens on the free stage: two phones enrolled, both accounts in good standing, the clock paused", async () => {
    const { current } = await open();
    await current.director.step();
    const state = studioState(current, 1);
    expect(state.stage.kind).toBe("free");
    expect(state.clock.playing).toBe(false);
    expect(state.devices.map((device) => [device.name, device.screen.kind])).toEqual([
      ["amara-phone", "home"],
      ["ben-phone", "home"],
    ]);
    expect(state.accounts.map((account) => account.standing)).toEqual(["good", "good"]);
  });

  it("plays a library scenario live and tells exactly the story the CLI tells, event for event", { timeout: 30_000 }, async () => {
    const live = await open();
    await live.load("missed-payment-lock");
    await live.clock({ op: "jump", by: "P30D" });
    const { run } = live.current;
    expect(run.done).toBe(true);
    const cli = await playScenario(planFromFile("missed-payment-lock"));
    const strip = (events: readonly { seq: number; at: string; type: string; data: unknown }[]) => events.map(({ seq, at, type, data }) => ({ seq, at, type, data }));
    const result = run.result();
    expect(strip(result.journal.filter((event) => Date.parse(event.at) <= Date.parse(cli.endedAt)))).toEqual(strip(cli.journal));
    expect(result.expectations.map((e) => [e.description, e.passed])).toEqual(cli.expectations.map((e) => [e.description, e.passed]));
  }); // two 30-day runs: seconds on a loaded 2-core machine

  it("draws the same sync delays as the CLI when its credentials come from a CSPRNG, as in heartlock serve", { timeout: 30_000 }, async () => {
    // Tokens and secrets are drawn afresh per check-in; the delays must not depend on how they were drawn.
    const file = join(mkdtempSync(join(tmpdir(), "heartlock-stage-")), "delays.yaml");
    writeFileSync(
      file,
      `title: Random delays
summary: Three phones default and are paid; each payment's sync takes a delay drawn by the seed.
objectives: [the same delays live and in a run]
seed: 11
sync: { delay: { min: PT1H, max: P2D } }
devices:
  - { name: shop, count: 3, account: "shop-{n}" }
timeline:
  - { after: PT1H, do: lender.default, account: shop-1, amount: 10 EUR }
  - { do: lender.default, account: shop-2, amount: 10 EUR }
  - { after: PT8H, do: lender.payment, account: shop-1, amount: 10 EUR }
  - { do: lender.payment, account: shop-2, amount: 10 EUR }
  - { after: P5D, expect: { event: sync.completed, count: 2 } }
`,
    );
    const plan = planFromFile(file);
    stage = await Stage.open({ wall: new ManualWall(0), serving: { credentials: secureCredentials } });
    await stage.loadPlan(plan);
    await stage.clock({ op: "jump", by: "P10D" });
    const delays = (journal: readonly { type: string; data: Readonly<Record<string, unknown>> }[]) =>
      journal.filter((event) => event.type === "sync.scheduled").map((event) => [event.data["accountId"], event.data["expectedBy"]]);
    const cli = await playScenario(plan);
    expect(delays(stage.current.run.result().journal)).toEqual(delays(cli.journal));
    expect(delays(cli.journal)).toHaveLength(2);
  });

  it("performs a control's action as a recorded step, and passes the lock service's refusal on as a problem", async () => {
    const live = await open();
    await live.clock({ op: "jump", by: "PT1H" }); // the phones boot and enrol
    const done = await live.act({ do: "lender.default", account: "amara", amount: "49.99 EUR" });
    expect(done.outcome).toMatch(/account amara is now default/);
    const refused = await refusal(live.act({ do: "support.issue_code", device: "amara-phone" }));
    expect([refused.status, refused.code]).toEqual([409, "standing_not_good"]);
    const steps = studioState(live.current, 1).stage.steps.filter((step) => step.source === "studio");
    expect(steps.map((step) => [step.action, step.state])).toEqual([
      [expect.stringContaining("lender.default"), "done"],
      [expect.stringContaining("support.issue_code"), "failed"],
    ]);
  });

  it("refuses bad input with a 4xx and changes nothing", async () => {
    const live = await open();
    const before = live.current.run.world.journal.lastSeq;
    expect((await refusal(live.act({ do: "lender.explode" }))).status).toBe(400);
    expect((await refusal(live.act({ do: "lender.default", account: "amara" }))).status).toBe(400);
    expect((await refusal(live.act({ do: "lender.default", account: "zoe", amount: "1.00 EUR" }))).status).toBe(404);
    expect((await refusal(live.act({ do: "owner.reboot", device: "zoe-phone" }))).status).toBe(404);
    expect((await refusal(live.act({ do: "owner.reboot", device: "amara-phone", at: "2026-03-03T09:00" }))).status).toBe(400);
    expect((await refusal(live.load("no-such-scenario"))).status).toBe(404);
    expect(live.current.run.world.journal.lastSeq).toBe(before);
    expect(live.current.run.steps).toEqual([]);
  });

  it("resets what is on stage to its start, as a new stage", async () => {
    const live = await open();
    await live.load("unlock-code-from-support");
    const first = live.current.id;
    await live.clock({ op: "jump", by: "P1D" });
    await live.reset();
    expect(live.current.id).toBeGreaterThan(first);
    expect(live.current.run.plan.name).toBe("unlock-code-from-support");
    expect(live.current.director.now()).toBe(live.current.run.plan.start);
  });
});
