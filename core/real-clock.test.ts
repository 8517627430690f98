import { describe, expect, it } from "vitest";
import { ClockWentBackwards, DAY, HOUR, MINUTE, SECOND } from "./clock.ts";
import { ManualWall } from "./manual-wall.ts";
import { RealClock } from "./real-clock.ts";

const START = Date.UTC(2026, 2, 6, 8);
const WALL_START = 1_000_000;

function setup(speed: number, onError?: (error: unknown) => void) {
  const wall = new ManualWall(WALL_START);
  const clock = new RealClock({ start: START, speed, wall, ...(onError ? { onError } : {}) });
  /** Lets `ms` of real time pass, waiting for each catch-up the clock starts. */
  const pass = (ms: number) => wall.advance(ms, () => clock.idle());
  return { wall, clock, pass };
}

describe("RealClock", () => {
  it("follows the wall at its speed: one simulated hour per real second at 3600", async () => {
    const { clock, pass } = setup(3600);
    expect(clock.now()).toBe(START);
    await pass(SECOND);
    expect(clock.now()).toBe(START + HOUR);
  });

  it("stands still and arms no timer while paused", async () => {
    const { clock, wall, pass } = setup(0);
    let ran = false;
    clock.schedule(START + MINUTE, () => void (ran = true));
    expect(wall.timerCount).toBe(0);
    await pass(DAY);
    expect(clock.now()).toBe(START);
    expect(ran).toBe(false);
  });

  it("runs a job when real time reaches it, not before, and the job sees its due time or later", async () => {
    const { clock, pass } = setup(3600);
    const seen: number[] = [];
    clock.schedule(START + HOUR, () => void seen.push(clock.now()));
    await pass(999);
    expect(seen).toEqual([]);
    await pass(1);
    expect(seen).toEqual([START + HOUR]);
  });

  it("arms exactly one timer, for the earliest job", () => {
    const { clock, wall } = setup(3600);
    clock.schedule(START + 2 * HOUR, () => {});
    const early = clock.schedule(START + HOUR, () => {});
    expect(wall.timerCount).toBe(1);
    expect(wall.nextTimerAt()).toBe(WALL_START + SECOND);
    clock.cancel(early);
    expect(wall.timerCount).toBe(1);
    expect(wall.nextTimerAt()).toBe(WALL_START + 2 * SECOND);
  });

  it("keeps simulated time already passed when the speed changes, and re-times the pending job", async () => {
    const { clock, wall, pass } = setup(3600);
    let ran = false;
    clock.schedule(START + 2 * HOUR, () => void (ran = true));
    await pass(SECOND);
    clock.setSpeed(60); // one simulated minute per real second: the remaining hour now takes 60 s
    expect(clock.now()).toBe(START + HOUR);
    expect(wall.nextTimerAt()).toBe(wall.now() + 60 * SECOND);
    await pass(59 * SECOND);
    expect(ran).toBe(false);
    await pass(SECOND);
    expect(ran).toBe(true);
    expect(clock.now()).toBe(START + 2 * HOUR);
  });

  it("refuses a negative, infinite or NaN speed", () => {
    const { clock } = setup(1);
    for (const bad of [-1, Number.POSITIVE_INFINITY, Number.NaN]) expect(() => clock.setSpeed(bad)).toThrow(RangeError);
    expect(() => new RealClock({ start: START, speed: -1, wall: new ManualWall() })).toThrow(RangeError);
  });

  it("jumps forward on advanceBy, running due jobs at their own times, then keeps flowing from there", async () => {
    const { clock, pass } = setup(1);
    const seen: number[] = [];
    clock.schedule(START + 2 * HOUR, () => void seen.push(clock.now()));
    clock.schedule(START + HOUR, () => void seen.push(clock.now()));
    await clock.advanceBy(DAY);
    expect(seen).toEqual([START + HOUR, START + 2 * HOUR]);
    expect(clock.now()).toBe(START + DAY);
    await pass(5 * SECOND);
    expect(clock.now()).toBe(START + DAY + 5 * SECOND);
  });

  it("never reports a time before the job being run, even while paused", async () => {
    const { clock } = setup(0);
    let seen = 0;
    clock.schedule(START + HOUR, () => void (seen = clock.now()));
    await clock.advanceBy(2 * HOUR);
    expect(seen).toBe(START + HOUR);
    expect(clock.now()).toBe(START + 2 * HOUR);
  });

  it("refuses to go backwards", async () => {
    const { clock } = setup(1);
    await expect(clock.advanceTo(START - 1)).rejects.toBeInstanceOf(ClockWentBackwards);
    await expect(clock.advanceBy(-1)).rejects.toBeInstanceOf(ClockWentBackwards);
  });

  it("refuses an explicit advance while a timer-driven catch-up is running, and allows it once idle", async () => {
    const { clock, wall } = setup(3600);
    let release!: () => void;
    clock.schedule(START + HOUR, () => new Promise<void>((resolve) => (release = resolve)));
    await wall.advance(SECOND); // fires the timer; the job now hangs until released
    await expect(clock.advanceBy(HOUR)).rejects.toThrow(/await clock.idle\(\) first/);
    release();
    await clock.idle();
    await clock.advanceBy(HOUR);
    expect(clock.now()).toBe(START + 2 * HOUR);
  });

  it("runs jobs scheduled during a catch-up once they fall due", async () => {
    const { clock, pass } = setup(3600);
    let beats = 0;
    const beat = (): void => {
      beats++;
      clock.schedule(clock.now() + 15 * MINUTE, beat);
    };
    clock.schedule(START + 15 * MINUTE, beat);
    await pass(10 * SECOND); // ten simulated hours
    expect(beats).toBe(40);
  });

  it("waits through delays longer than a timer can hold at real-time speed", async () => {
    const { clock, wall, pass } = setup(1);
    let ranAt = 0;
    clock.schedule(START + 30 * DAY, () => void (ranAt = clock.now()));
    // Node's setTimeout fires at once for delays above 2^31-1 ms, so no armed delay may exceed it.
    expect((wall.nextTimerAt() ?? 0) - wall.now()).toBeLessThanOrEqual(2 ** 31 - 1);
    await pass(30 * DAY - 1);
    expect(ranAt).toBe(0);
    await pass(1);
    expect(ranAt).toBe(START + 30 * DAY);
  });

  it("clears its timer on stop and then runs jobs only when advanced explicitly", async () => {
    const { clock, wall, pass } = setup(3600);
    let ran = 0;
    clock.schedule(START + HOUR, () => void ran++);
    clock.stop();
    expect(wall.timerCount).toBe(0);
    await pass(10 * SECOND);
    expect(ran).toBe(0);
    clock.schedule(START + 20 * HOUR, () => void ran++);
    expect(wall.timerCount).toBe(0);
    await clock.advanceTo(START + 20 * HOUR);
    expect(ran).toBe(2);
  });

  it("reports a failing timer-driven job to onError and goes on with later jobs", async () => {
    const errors: unknown[] = [];
    const { clock, pass } = setup(3600, (error) => errors.push(error));
    let later = false;
    clock.schedule(START + HOUR, () => {
      throw new Error("boom");
    });
    clock.schedule(START + HOUR, () => void (later = true));
    await pass(SECOND);
    await pass(0);
    expect(errors).toEqual([new Error("boom")]);
    expect(later).toBe(true);
  });

  it("rethrows a failing job to the caller of advanceBy and stays usable", async () => {
    const { clock } = setup(0);
    clock.schedule(START + HOUR, () => {
      throw new Error("boom");
    });
    await expect(clock.advanceBy(2 * HOUR)).rejects.toThrow("boom");
    expect(clock.now()).toBe(START + HOUR);
    await clock.advanceBy(HOUR);
    expect(clock.now()).toBe(START + 2 * HOUR);
  });

  it("yields to the event loop during a long advance, so a health check is answered while a year of jobs runs", async () => {
    // Each job "costs" 1 ms of this wall's time, so the advance passes its yield threshold every 15 jobs.
    let wallNow = WALL_START;
    const wall = Object.assign(new ManualWall(WALL_START), { now: () => wallNow });
    const clock = new RealClock({ start: START, speed: 0, wall });
    const hourly = (at: number): void => {
      clock.schedule(at, () => {
        wallNow += 1;
        if (at + HOUR <= START + 365 * DAY) hourly(at + HOUR);
      });
    };
    hourly(START + HOUR);
    const answeredDuring: number[] = [];
    const healthCheck = setInterval(() => answeredDuring.push(clock.now()), 0);
    await clock.advanceBy(365 * DAY);
    clearInterval(healthCheck);
    expect(clock.now()).toBe(START + 365 * DAY);
    // Answered while the clock was still on its way, not only before or after the advance.
    expect(answeredDuring.some((now) => now > START && now < START + 365 * DAY)).toBe(true);
  });
});
