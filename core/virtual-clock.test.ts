import { describe, expect, it } from "vitest";
import { ClockWentBackwards, DAY, HOUR, MINUTE } from "./clock.ts";
import { VirtualClock } from "./virtual-clock.ts";

const START = Date.UTC(2026, 2, 1);

describe("VirtualClock", () => {
  it("runs jobs by time, then by the order they were scheduled", async () => {
    const clock = new VirtualClock(START);
    const ran: string[] = [];
    clock.schedule(START + 2 * HOUR, () => void ran.push("late"));
    clock.schedule(START + HOUR, () => void ran.push("first"));
    clock.schedule(START + HOUR, () => void ran.push("second"));
    clock.schedule(START + HOUR, () => void ran.push("third"));
    await clock.advanceBy(3 * HOUR);
    expect(ran).toEqual(["first", "second", "third", "late"]);
    expect(clock.now()).toBe(START + 3 * HOUR);
  });

  it("shows each job the time it was due", async () => {
    const clock = new VirtualClock(START);
    const seen: number[] = [];
    for (const offset of [MINUTE, 5 * MINUTE]) clock.schedule(START + offset, () => void seen.push(clock.now()));
    await clock.advanceBy(HOUR);
    expect(seen).toEqual([START + MINUTE, START + 5 * MINUTE]);
  });

  it("leaves jobs after the target pending", async () => {
    const clock = new VirtualClock(START);
    clock.schedule(START + 2 * HOUR, () => {}, "later");
    await clock.advanceBy(HOUR);
    expect(clock.pending()).toEqual([{ id: 1, at: START + 2 * HOUR, label: "later" }]);
    expect(clock.nextDueAt()).toBe(START + 2 * HOUR);
  });

  it("runs jobs that jobs schedule, in order, when they fall due before the target", async () => {
    const clock = new VirtualClock(START);
    const ran: string[] = [];
    clock.schedule(START + HOUR, () => {
      ran.push("parent");
      clock.schedule(START + 90 * MINUTE, () => void ran.push("child"));
    });
    clock.schedule(START + 2 * HOUR, () => void ran.push("sibling"));
    await clock.advanceBy(3 * HOUR);
    expect(ran).toEqual(["parent", "child", "sibling"]);
  });

  it("runs a job scheduled in the past at the next advance without moving time backwards", async () => {
    const clock = new VirtualClock(START);
    let seenAt = 0;
    clock.schedule(START - HOUR, () => void (seenAt = clock.now()));
    await clock.advanceBy(0);
    expect(seenAt).toBe(START);
    expect(clock.now()).toBe(START);
  });

  it("does not run a cancelled job, and cancelling twice or an unknown id is harmless", async () => {
    const clock = new VirtualClock(START);
    let ran = false;
    const id = clock.schedule(START + MINUTE, () => void (ran = true));
    clock.cancel(id);
    clock.cancel(id);
    clock.cancel(999);
    await clock.advanceBy(HOUR);
    expect(ran).toBe(false);
    expect(clock.pending()).toEqual([]);
  });

  it("refuses to go backwards", async () => {
    const clock = new VirtualClock(START);
    await expect(clock.advanceTo(START - 1)).rejects.toBeInstanceOf(ClockWentBackwards);
    await expect(clock.advanceBy(-1)).rejects.toBeInstanceOf(ClockWentBackwards);
    await expect(clock.advanceBy(Number.NaN)).rejects.toBeInstanceOf(RangeError);
    expect(clock.now()).toBe(START);
  });

  it("has speed 0 and accepts no other speed", () => {
    const clock = new VirtualClock(START);
    expect(clock.speed()).toBe(0);
    expect(() => clock.setSpeed(0)).not.toThrow();
    expect(() => clock.setSpeed(3600)).toThrow(/only moves when told/);
  });

  it("completes a 30-day run with a job every 15 minutes", async () => {
    const clock = new VirtualClock(START);
    let count = 0;
    const tick = (): void => {
      count++;
      clock.schedule(clock.now() + 15 * MINUTE, tick, "heartbeat");
    };
    clock.schedule(START + 15 * MINUTE, tick, "heartbeat");
    await clock.advanceBy(30 * DAY);
    expect(count).toBe(2880);
    expect(clock.now()).toBe(START + 30 * DAY);
    expect(clock.pending()).toHaveLength(1);
  });

  it("awaits async jobs one after the other", async () => {
    const clock = new VirtualClock(START);
    const log: string[] = [];
    const slow = (name: string) => async (): Promise<void> => {
      log.push(`${name} start`);
      for (let i = 0; i < 3; i++) await Promise.resolve();
      log.push(`${name} end`);
    };
    clock.schedule(START + MINUTE, slow("a"));
    clock.schedule(START + MINUTE, slow("b"));
    await clock.advanceBy(MINUTE);
    expect(log).toEqual(["a start", "a end", "b start", "b end"]);
  });

  it("stops at a failing job, keeps later jobs, rethrows, and can continue afterwards", async () => {
    const clock = new VirtualClock(START);
    const ran: string[] = [];
    clock.schedule(START + HOUR, () => {
      throw new Error("boom");
    });
    clock.schedule(START + 2 * HOUR, () => void ran.push("after"));
    await expect(clock.advanceBy(3 * HOUR)).rejects.toThrow("boom");
    expect(clock.now()).toBe(START + HOUR);
    expect(clock.pending()).toHaveLength(1);
    expect(clock.busy).toBe(false);
    await clock.advanceTo(START + 3 * HOUR);
    expect(ran).toEqual(["after"]);
    expect(clock.now()).toBe(START + 3 * HOUR);
  });

  it("refuses to advance from inside one of its own jobs instead of deadlocking", async () => {
    const clock = new VirtualClock(START);
    let inner: unknown;
    clock.schedule(START + MINUTE, async () => {
      inner = await clock.advanceBy(MINUTE).catch((error: unknown) => error);
    });
    await clock.advanceBy(HOUR);
    expect(inner).toBeInstanceOf(Error);
    expect((inner as Error).message).toMatch(/while advanceTo is still running/);
  });

  it("runNext runs exactly one job and reports when none is left", async () => {
    const clock = new VirtualClock(START);
    const ran: string[] = [];
    clock.schedule(START + HOUR, () => void ran.push("a"));
    clock.schedule(START + HOUR, () => void ran.push("b"));
    expect(await clock.runNext()).toBe(true);
    expect(ran).toEqual(["a"]);
    expect(clock.now()).toBe(START + HOUR);
    expect(await clock.runNext()).toBe(true);
    expect(await clock.runNext()).toBe(false);
    expect(ran).toEqual(["a", "b"]);
  });

  it("runUntil stops at the job that makes the predicate true", async () => {
    const clock = new VirtualClock(START);
    let beats = 0;
    for (let i = 1; i <= 10; i++) clock.schedule(START + i * HOUR, () => void beats++);
    expect(await clock.runUntil(() => beats === 3, START + DAY)).toBe(true);
    expect(clock.now()).toBe(START + 3 * HOUR);
    expect(clock.pending()).toHaveLength(7);
  });

  it("runUntil gives up at the limit and leaves the clock there", async () => {
    const clock = new VirtualClock(START);
    let ran = 0;
    clock.schedule(START + HOUR, () => void ran++);
    clock.schedule(START + 5 * HOUR, () => void ran++);
    expect(await clock.runUntil(() => false, START + 2 * HOUR)).toBe(false);
    expect(ran).toBe(1);
    expect(clock.now()).toBe(START + 2 * HOUR);
  });

  it("runUntil returns at once when the predicate already holds", async () => {
    const clock = new VirtualClock(START);
    clock.schedule(START + HOUR, () => {});
    expect(await clock.runUntil(() => true, START + DAY)).toBe(true);
    expect(clock.now()).toBe(START);
    expect(clock.pending()).toHaveLength(1);
  });

  it("runs an owner's timers in the same order as closures scheduled around them, and names them through the owner", async () => {
    const clock = new VirtualClock(START);
    const ran: string[] = [];
    const owner = { name: "dev-1", runTimer: (kind: "a" | "b") => void ran.push(`timer ${kind}`), timerLabel: (kind: "a" | "b") => `${kind} ${owner.name}` };
    clock.schedule(START + HOUR, () => void ran.push("first"));
    clock.scheduleTimer(START + HOUR, owner, "a");
    const cancelled = clock.scheduleTimer(START + HOUR, owner, "b");
    clock.schedule(START + HOUR, () => void ran.push("last"));
    clock.scheduleTimer(START, owner, "b");
    clock.cancel(cancelled);
    owner.name = "dev-2";
    expect(clock.pending().map((job) => job.label)).toEqual(["b dev-2", "job", "a dev-2", "job"]);
    await clock.advanceBy(HOUR);
    expect(ran).toEqual(["timer b", "first", "timer a", "last"]);
  });
});
