import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKeys } from "../mock-server/create.ts";
import { ROUTES, type StudioState } from "./contract.ts";
import { systemWall, type Wall } from "../core/wall-clock.ts";
import { startStudio, type RunningStudio } from "./start.ts";

/** A long move of the clock must not freeze the server (issue 11: P3650D left it unresponsive for a minute). */
let studio: RunningStudio;
beforeAll(async () => {
  studio = await startStudio({ seed: 3 });
});
afterAll(() => studio.close());

const admin = { authorization: `Bearer ${testKeys.admin}`, "content-type": "application/json" };

describe("long clock moves in the studio", () => {
  it("refuses facilitator.advance by ten years, and the clock stays where it was", async () => {
    const before = studio.hub.state().clock.now;
    const answer = await fetch(`${studio.url}${ROUTES.act}`, { method: "POST", headers: admin, body: JSON.stringify({ do: "facilitator.advance", by: "P3650D" }) });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(studio.hub.state().clock.now).toBe(before);
  });

  it("keeps answering /healthz while a month-long jump runs, in slices", { timeout: 60_000 }, async () => {
    const from = Date.parse(studio.hub.state().clock.now);
    let done = false;
    const jump = fetch(`${studio.url}${ROUTES.clock}`, { method: "POST", headers: admin, body: JSON.stringify({ op: "jump", by: "P30D" }) }).then(async (r) => {
      done = true;
      return (await r.json()) as StudioState;
    });
    const healthDuringJump: number[] = [];
    const seenMidway: number[] = [];
    while (!done) {
      const health = await fetch(`${studio.url}/healthz`);
      if (!done) {
        healthDuringJump.push(health.status);
        seenMidway.push(Date.parse(studio.hub.state().clock.now));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const state = await jump;
    expect(Date.parse(state.clock.now) - from).toBe(30 * 86_400_000);
    expect(healthDuringJump.length).toBeGreaterThan(0);
    expect(healthDuringJump.every((status) => status === 200)).toBe(true);
    // The clock was seen part-way: the jump progressed slice by slice.
    expect(seenMidway.some((at) => at > from && at < from + 30 * 86_400_000)).toBe(true);
  });
});

describe("a long jump across a scenario's steps", () => {
  it("runs the weeks between two steps in slices too, so the server keeps answering", { timeout: 60_000 }, async () => {
    // A wall whose every reading is 100 ms later: each slice looks long enough to yield after, so the yields do
    // not depend on how fast this machine runs (a few phones' month is only milliseconds of work).
    let readings = 0;
    const wall: Wall = { ...systemWall, now: () => systemWall.now() + 100 * readings++ };
    const stage = await startStudio({ seed: 3, wall });
    try {
      const load = await fetch(`${stage.url}${ROUTES.stage}`, { method: "POST", headers: admin, body: JSON.stringify({ op: "load", scenario: "offline-for-a-month" }) });
      expect(load.status).toBe(200);
      const seen = new Set<string>();
      let done = false;
      const jump = fetch(`${stage.url}${ROUTES.clock}`, { method: "POST", headers: admin, body: JSON.stringify({ op: "jump", by: "P30D" }) }).finally(() => (done = true));
      while (!done) {
        seen.add(stage.hub.state().clock.now.slice(0, 10));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect((await jump).status).toBe(200);
      // The story's steps are on 2 March (18:00) and 20 March: the clock was seen on the days between them.
      expect([...seen].filter((day) => day > "2026-03-03" && day < "2026-03-20").length).toBeGreaterThan(5);
    } finally {
      await stage.close();
    }
  });
});
