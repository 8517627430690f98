import { describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../core/clock.ts";
import { Journal } from "../core/journal.ts";
import { ManualWall } from "../core/manual-wall.ts";
import { VirtualClock } from "../core/virtual-clock.ts";
import { Director, FRAME_MS } from "./director.ts";

const START = Date.parse("2026-03-02T08:00:00.000Z");

function setup(speed = 3600) {
  const wall = new ManualWall(0);
  const clock = new VirtualClock(START);
  const journal = new Journal(() => clock.now());
  const director = new Director({ clock, journal, wall, speed });
  /** Real time passes; each frame's move of the clock finishes before the next timer fires. */
  const pass = (ms: number) => wall.advance(ms, () => new Promise((resolve) => setImmediate(resolve)));
  return { wall, clock, journal, director, pass };
}

describe("Director: the workshop's clock", () => {
  it("stands still until play, then moves at the dial's speed, and stops again on pause", async () => {
    const { director, pass, wall } = setup(3600);
    await pass(1000);
    expect(director.now()).toBe(START);
    director.play();
    await pass(1000);
    expect(director.now()).toBe(START + HOUR);
    director.setSpeed(60);
    await pass(1000);
    expect(director.now()).toBe(START + HOUR + MINUTE);
    director.pause();
    await pass(5000);
    expect(director.now()).toBe(START + HOUR + MINUTE);
    expect(wall.timerCount).toBe(0);
  });

  it("runs the jobs that fall due while it plays, each at its own time", async () => {
    const { director, clock, pass } = setup(3600);
    const seen: number[] = [];
    clock.schedule(START + 30 * MINUTE, () => void seen.push(clock.now()));
    clock.schedule(START + 90 * MINUTE, () => void seen.push(clock.now()));
    director.play();
    await pass(1000 + FRAME_MS);
    expect(seen).toEqual([START + 30 * MINUTE]);
    await pass(1000);
    expect(seen).toEqual([START + 30 * MINUTE, START + 90 * MINUTE]);
  });

  it("holds the clock at a scripted step while the step is carried out, however fast it plays", async () => {
    const { director, pass } = setup(86_400);
    director.play();
    let arrived: number | undefined;
    void director.until(START + 2 * HOUR).then(() => (arrived = director.now()));
    await pass(1000);
    expect(arrived).toBe(START + 2 * HOUR);
    expect(director.holding).toBe(true);
    await pass(1000); // the step is "still running": the clock must not move
    expect(director.now()).toBe(START + 2 * HOUR);
    director.release(); // script over: the clock flows again
    await pass(1000);
    expect(director.now()).toBeGreaterThan(START + 2 * HOUR);
  });

  it("steps to the next notable event, skipping routine bookkeeping, and stops at the script's next step", async () => {
    const { director, clock, journal } = setup();
    clock.schedule(START + HOUR, () => void journal.append("device", "heartbeat", {}));
    clock.schedule(START + 2 * HOUR, () => void journal.append("lender", "default.reported", {}));
    clock.schedule(START + 5 * HOUR, () => void journal.append("lender", "payment.recorded", {}));
    await director.step();
    expect(director.now()).toBe(START + 2 * HOUR);
    let woke = false;
    void director.until(START + 3 * HOUR).then(() => (woke = true));
    await director.step();
    expect(director.now()).toBe(START + 3 * HOUR);
    expect(woke).toBe(true);
  });

  it("jumps through scripted steps in their turn: each runs at its own time before the clock goes on", async () => {
    const { director } = setup();
    const times: number[] = [];
    const script = (async () => {
      for (const at of [START + HOUR, START + 3 * HOUR]) {
        await director.until(at);
        times.push(director.now());
      }
      director.release();
    })();
    await director.jumpTo(START + 24 * HOUR);
    await script;
    expect(times).toEqual([START + HOUR, START + 3 * HOUR]);
    expect(director.now()).toBe(START + 24 * HOUR);
  });

  it("is what the facilitator API steers: speed 0 pauses, a speed plays, an advance jumps", async () => {
    const { director } = setup();
    director.steering.setSpeed(600);
    expect(director.playing).toBe(true);
    expect(director.steering.speed()).toBe(600);
    director.steering.setSpeed(0);
    expect(director.steering.speed()).toBe(0);
    await director.steering.advanceBy(HOUR);
    expect(director.steering.now()).toBe(START + HOUR);
    await expect(director.steering.advanceTo(START)).rejects.toThrow(/cannot go back/);
    director.stop();
  });
});
