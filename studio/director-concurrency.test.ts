import { describe, expect, it } from "vitest";
import { DAY, HOUR } from "../core/clock.ts";
import { Journal } from "../core/journal.ts";
import { VirtualClock } from "../core/virtual-clock.ts";
import { systemWall, type Wall } from "../core/wall-clock.ts";
import { Director } from "./director.ts";

/**
 * Moves of the clock that meet while a long one yields (a second tab's jump, a reset during a rewind): each must
 * settle, and a stopped director moves nothing more. The wall reads 100 ms later each time, so every slice yields.
 */
const START = Date.parse("2026-03-02T08:00:00.000Z");
const tick = () => new Promise((r) => setImmediate(r));
const within = <T,>(p: Promise<T>, ms: number) => Promise.race([p.then(() => "done" as const, (e: unknown) => `error: ${String(e)}`), new Promise<string>((r) => setTimeout(() => r("HUNG"), ms))]);

/** A director over a clock with a job every hour; `steps` are the script's waits (none: no script). */
function setup(steps: readonly number[], inStep?: (d: Director, i: number) => Promise<void>) {
  let readings = 0;
  const wall: Wall = { ...systemWall, now: () => 100 * readings++ };
  const clock = new VirtualClock(START);
  const journal = new Journal(() => clock.now());
  const director = new Director({ clock, journal, wall });
  const beat = () => {
    clock.schedule(clock.now() + HOUR, beat);
  };
  beat();
  void (async () => {
    for (let i = 0; i < steps.length; i++) {
      await director.until(steps[i] as number);
      if (inStep) await inStep(director, i);
    }
    director.release();
  })();
  return { director, clock };
}

const TWO_STEPS = [START + 5 * DAY, START + 10 * DAY];

describe("the director's moves meeting mid-slice", () => {
  it("two jumps across a step, the second arriving while the first yields: both settle", async () => {
    const { director } = setup(TWO_STEPS);
    await tick();
    const a = director.jumpTo(START + 20 * DAY, true);
    for (let i = 0; i < 5; i++) await tick();
    const b = director.jumpTo(START + 20 * DAY, true);
    expect([await within(a, 3000), await within(b, 3000)]).toEqual(["done", "done"]);
  });

  it("a step that itself advances the clock, and a second jump queued meanwhile: both settle", async () => {
    const { director } = setup(TWO_STEPS, async (d, i) => {
      if (i === 0) await d.jumpTo(d.now() + 2 * HOUR);
    });
    await tick();
    const a = director.jumpTo(START + 7 * DAY, true);
    for (let i = 0; i < 5; i++) await tick();
    const b = director.jumpTo(START + 7 * DAY, true);
    expect([await within(a, 3000), await within(b, 3000)]).toEqual(["done", "done"]);
  });

  it("stop() during a rewind's replay ends it at once: the clock moves no further and the rewind settles", async () => {
    const { director, clock } = setup([START + 10 * DAY]);
    await tick();
    const rewind = director.runToEvent(999_999, START + 20 * DAY);
    for (let i = 0; i < 5; i++) await tick();
    const at = clock.now();
    director.stop();
    expect(await within(rewind, 3000)).toBe("done");
    expect(clock.now()).toBe(at);
  });
});
