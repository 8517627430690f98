import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runHeartlock } from "../cli/heartlock-child.ts";
import { ManualWall } from "../core/manual-wall.ts";
import { secureCredentials } from "../mock-server/credentials.ts";
import type { JournalEvent } from "../core/journal.ts";
import { planFromYaml } from "../scenarios/format/load.ts";
import { playScenario } from "../scenarios/run/runner.ts";
import { studioState } from "./snapshot.ts";
import { Stage } from "./stage.ts";
import { scenarioYaml } from "./recording.ts";

const stages: Stage[] = [];
afterEach(async () => {
  for (const stage of stages.splice(0)) await stage.close();
});

async function open(seed?: number): Promise<Stage> {
  const stage = await Stage.open({ wall: new ManualWall(0), ...(seed !== undefined ? { seed } : {}) });
  stages.push(stage);
  return stage;
}

const bytes = (events: readonly JournalEvent[]) => events.map((event) => JSON.stringify({ seq: event.seq, at: event.at, type: event.type, data: event.data }));
/** What the room sees: every phone's screen and every account's standing, sync and payments. */
const view = (stage: Stage) => {
  const { devices, accounts, codes, clock } = studioState(stage.current, 0);
  return { clock: clock.now, screens: devices.map((device) => [device.name, device.screen]), accounts, codes };
};

describe("rewinding the studio's story", () => {
  it("takes a library scenario back to several of its events: the same journal up to each, byte for byte, and the same phone and accounts as a fresh run stopped there", { timeout: 60_000 }, async () => {
    const live = await open();
    await live.load("unlock-code-from-support");
    await live.clock({ op: "jump", by: "P45D" });
    expect(live.current.run.done).toBe(true);
    const journal = live.current.run.world.journal.after(0);
    // A lock, a code issued and used, a payment and its sync: the events a teacher would go back to.
    const wanted = ["command.issued", "unlock_code.issued", "device.unlocked_by_code", "payment.recorded", "sync.completed"];
    const targets = wanted.map((type) => journal.find((event) => event.type === type)).filter((event): event is JournalEvent => event !== undefined);
    expect(targets.length).toBeGreaterThanOrEqual(3);

    // Latest first: each rewind starts from the story the last one left (a rewound story rewinds too).
    for (const target of [...targets].sort((a, b) => b.seq - a.seq)) {
      await live.rewind(target.seq);
      const rewound = live.current.run.world.journal.after(0);
      expect(bytes(rewound.filter((event) => event.seq <= target.seq)), `rewound to ${target.type}`).toEqual(bytes(journal.filter((event) => event.seq <= target.seq)));
      expect(studioState(live.current, 0).stage.rewoundTo).toBe(target.seq);
      expect(live.current.director.playing).toBe(false);

      const fresh = await open();
      await fresh.load("unlock-code-from-support");
      await fresh.current.director.runToEvent(target.seq, Date.parse(target.at));
      expect(view(live), `state at ${target.type}`).toEqual(view(fresh));
    }
    // Continue from here: the rewound story plays on to the scenario's end, its checks passing.
    await live.clock({ op: "jump", by: "P45D" });
    expect(live.current.run.done).toBe(true);
    expect(live.current.run.expectations.every((verdict) => verdict.passed)).toBe(true);
  });

  it("replays an improvised free-stage session (controls, a refusal, steps) up to an event, and continuing from there is a new branch", { timeout: 60_000 }, async () => {
    const live = await open(3);
    await live.clock({ op: "step" });
    await live.act({ do: "lender.default", account: "amara", amount: "49.99 EUR" });
    await live.act({ do: "support.issue_code", device: "amara-phone" }).catch(() => undefined); // refused: in default
    for (let i = 0; i < 3; i++) await live.clock({ op: "step" });
    await live.act({ do: "owner.pay", device: "amara-phone", amount: "49.99 EUR" });
    await live.clock({ op: "jump", by: "P2D" });
    const journal = live.current.run.world.journal.after(0);
    const lock = journal.find((event) => event.type === "command.issued");
    expect(lock).toBeDefined();
    if (!lock) return;

    await live.rewind(lock.seq);
    const rewound = live.current.run.world.journal.after(0);
    expect(bytes(rewound.filter((event) => event.seq <= lock.seq))).toEqual(bytes(journal.filter((event) => event.seq <= lock.seq)));
    expect(rewound.some((event) => event.type === "payment.recorded")).toBe(false); // the payment came after

    // Continue from here: a different story (the lender reports the payment itself).
    await live.act({ do: "lender.payment", account: "amara", amount: "49.99 EUR" });
    expect(live.current.run.world.journal.after(lock.seq).some((event) => event.type === "payment.recorded")).toBe(true);
  });
});

describe("saving a run as a scenario", () => {
  it("writes YAML that heartlock run replays to a journal identical to the live one (seq, at, type, data)", { timeout: 60_000 }, async () => {
    const live = await open(11);
    await live.clock({ op: "step" });
    await live.act({ do: "lender.default", account: "amara", amount: "49.99 EUR" });
    await live.act({ do: "support.issue_code", device: "amara-phone" }).catch(() => undefined);
    await live.clock({ op: "step" });
    await live.clock({ op: "step" });
    await live.act({ do: "sync.fail", account: "amara", times: 1 });
    await live.act({ do: "owner.pay", device: "amara-phone", amount: "49.99 EUR" });
    await live.clock({ op: "jump", by: "P3D" });
    await live.act({ do: "support.refresh", device: "amara-phone" });
    await live.act({ do: "support.issue_code", device: "amara-phone" });
    await live.act({ do: "owner.enter_code", device: "amara-phone" });
    await live.clock({ op: "jump", by: "PT5H" });
    const journal = live.current.run.world.journal.after(0);

    const yaml = scenarioYaml(live.saved());
    const replay = await playScenario(planFromYaml(yaml, "saved-run.yaml"));
    expect(bytes(replay.journal)).toEqual(bytes(journal));
    expect(replay.passed).toBe(true);
    expect(yaml).toContain("expectError: standing_not_good");

    // And as a facilitator would replay the downloaded file: `heartlock run saved-run.yaml`, a child process.
    const dir = mkdtempSync(join(tmpdir(), "heartlock-saved-run-"));
    writeFileSync(join(dir, "saved-run.yaml"), yaml);
    const ran = await runHeartlock(["run", "saved-run.yaml", "--reporter", "json"], { cwd: dir });
    expect(ran.code, ran.stderr).toBe(0);
    const report = JSON.parse(ran.stdout) as { scenarios: { passed: boolean; journal: JournalEvent[] }[] };
    expect(report.scenarios[0]?.passed).toBe(true);
    expect(bytes(report.scenarios[0]?.journal ?? [])).toEqual(bytes(journal));
  });

  it("as serve plays it (CSPRNG codes), a code typed on the phone replays: saved without the live code, rewound with the same codes", { timeout: 60_000 }, async () => {
    const live = await Stage.open({ wall: new ManualWall(0), seed: 11, serving: { credentials: secureCredentials } });
    stages.push(live);
    await live.clock({ op: "step" });
    await live.act({ do: "lender.default", account: "amara", amount: "49.99 EUR" });
    await live.clock({ op: "jump", by: "PT8H" });
    await live.act({ do: "owner.pay", device: "amara-phone", amount: "49.99 EUR" });
    const issued = await live.act({ do: "support.issue_code", device: "amara-phone" });
    const code = /unlock code (\d+)/.exec(issued.outcome ?? "")?.[1] ?? "";
    await live.act({ do: "owner.enter_code", device: "amara-phone", code: "00000000" }); // a wrong guess first
    await live.act({ do: "owner.enter_code", device: "amara-phone", code }); // then what support read out
    await live.clock({ op: "jump", by: "PT1H" });
    const journal = live.current.run.world.journal.after(0);
    const unlocked = journal.find((event) => event.type === "device.unlocked_by_code");
    expect(unlocked).toBeDefined();

    const yaml = scenarioYaml(live.saved());
    expect(yaml).not.toContain(code);
    expect(yaml).toContain('code: "00000000"');
    const replay = await playScenario(planFromYaml(yaml, "saved-run.yaml"));
    expect(replay.journal.some((event) => event.type === "device.unlocked_by_code")).toBe(true);

    const upTo = (events: readonly JournalEvent[]) => bytes(events.filter((event) => event.seq <= (unlocked?.seq ?? 0)));
    await live.rewind(unlocked?.seq ?? 0);
    expect(upTo(live.current.run.world.journal.after(0))).toEqual(upTo(journal));
  });

  it("saves a library scenario played partway, its checks kept, and the replay matches", { timeout: 60_000 }, async () => {
    const live = await open();
    await live.load("paid-but-still-locked");
    await live.clock({ op: "jump", by: "P1D" });
    await live.act({ do: "owner.reboot", device: live.current.run.plan.devices[0]?.name ?? "" });
    await live.clock({ op: "jump", by: "P1D" });
    const journal = live.current.run.world.journal.after(0);
    const replay = await playScenario(planFromYaml(scenarioYaml(live.saved()), "saved.yaml"));
    expect(bytes(replay.journal)).toEqual(bytes(journal));
  });
});
