import { ClockWentBackwards } from "./clock.ts";
import type { ControllableClock, Job, JobId, Millis, ScheduledJob, TimerOwner } from "./clock.ts";
import { VirtualClock } from "./virtual-clock.ts";
import { advanceInSlices, systemWall } from "./wall-clock.ts";
import type { Wall } from "./wall-clock.ts";

export interface RealClockOptions {
  /** Simulated time at construction. */
  start: Millis;
  /** Simulated ms per real ms: 1 is real time, 3600 is an hour per second, 0 is paused. Default 1. */
  speed?: number;
  /** Where real time and timers come from; tests pass a ManualWall. Default: the process's own. */
  wall?: Wall;
  /**
   * Receives errors thrown by jobs that ran because real time passed (nobody awaits those runs). The default
   * rethrows, which surfaces as an unhandled rejection: loud, so a broken job is never silently lost. Servers
   * pass a handler that journals the error. Errors during advanceBy/advanceTo go to their caller instead.
   */
  onError?: (error: unknown) => void;
}

/**
 * setTimeout treats delays above 2^31-1 ms (~24.8 days) as 1 ms. At real-time speed a job a month out would
 * fire at once, so longer waits are cut into pieces: the timer fires early, finds nothing due, and re-arms.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Simulated time that flows with the wall clock at a speed factor — the workshop clock.
 *
 * It is a VirtualClock (which holds the jobs and runs them in order) plus an anchor:
 *   now = anchorSim + (wall.now() - anchorWall) * speed
 * Exactly one wall timer is armed, for the earliest pending job. When it fires, the inner VirtualClock is
 * advanced to the current simulated now, running whatever fell due. Only one advance runs at a time; the timer
 * is re-armed when it ends, and whenever the schedule, the speed or the anchor changes.
 */
export class RealClock implements ControllableClock {
  readonly canRun = true;
  private readonly inner: VirtualClock;
  private readonly wall: Wall;
  private readonly onError: (error: unknown) => void;
  private rate: number;
  private anchorSim: Millis;
  private anchorWall: number;
  /** Largest now() ever returned: keeps now() monotonic even if the wall clock is set back. */
  private highWater: Millis;
  private timer: { readonly handle: unknown; readonly due: Millis } | undefined;
  /** Settles when the advance in progress (timer-driven or explicit) ends; never rejects. */
  private run: Promise<void> | undefined;
  private stopped = false;

  constructor(opts: RealClockOptions) {
    const speed = opts.speed ?? 1;
    assertSpeed(speed);
    this.inner = new VirtualClock(opts.start);
    this.wall = opts.wall ?? systemWall;
    this.onError =
      opts.onError ??
      ((error) => {
        throw error;
      });
    this.rate = speed;
    this.anchorSim = opts.start;
    this.anchorWall = this.wall.now();
    this.highWater = opts.start;
  }

  now(): Millis {
    // Floor keeps times whole milliseconds at fractional speeds; max() keeps now() at or after the time of the
    // job being run (the inner clock) and never below a value already handed out.
    const flowing = Math.floor(this.anchorSim + (this.wall.now() - this.anchorWall) * this.rate);
    const now = Math.max(this.highWater, this.inner.now(), flowing);
    this.highWater = now;
    return now;
  }

  schedule(at: Millis, job: Job, label?: string): JobId {
    const id = this.inner.schedule(at, job, label);
    this.arm();
    return id;
  }

  scheduleTimer<K extends string>(at: Millis, owner: TimerOwner<K>, kind: K): JobId {
    const id = this.inner.scheduleTimer(at, owner, kind);
    this.arm();
    return id;
  }

  cancel(id: JobId): void {
    this.inner.cancel(id);
    this.arm();
  }

  pending(): readonly ScheduledJob[] {
    return this.inner.pending();
  }

  nextDueAt(): Millis | undefined {
    return this.inner.nextDueAt();
  }

  speed(): number {
    return this.rate;
  }

  /** Changes the speed from this instant on (0 pauses); simulated time already passed is kept. */
  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.reanchor(this.now());
    this.rate = speed;
    this.disarm();
    this.arm();
  }

  async advanceBy(ms: Millis): Promise<void> {
    if (!Number.isFinite(ms)) throw new RangeError(`ms must be a finite number of milliseconds, got ${ms}`);
    const now = this.now();
    if (ms < 0) throw new ClockWentBackwards(now, now + ms);
    await this.advanceTo(now + ms);
  }

  /**
   * Jumps the timeline to `target`, running every job due on the way (each sees its own due time), then keeps
   * flowing at the current speed from `target`. Refused while another advance runs — including one started by
   * the timer — because a job driving its own clock would deadlock; callers can `await clock.idle()` first.
   */
  async advanceTo(target: Millis): Promise<void> {
    if (!Number.isFinite(target)) throw new RangeError(`target must be a finite number of milliseconds, got ${target}`);
    if (this.run !== undefined) {
      throw new Error(
        "RealClock.advanceTo called while an advance is still running; await clock.idle() first " +
          "(and a job must not drive the clock it runs on)",
      );
    }
    const now = this.now();
    if (target < now) throw new ClockWentBackwards(now, target);
    await this.exclusive(async () => {
      try {
        // A long advance (PATCH /v1/sim/clock may move a year of a fleet's heartbeats) yields as it goes.
        await advanceInSlices(this.inner, target, this.wall);
      } finally {
        // On success the inner clock is at target, so now() >= target; on failure the timeline stays at the
        // failed job (or wherever wall time has flowed to) and goes on from there.
        this.reanchor(this.now());
      }
    });
  }

  get busy(): boolean {
    return this.run !== undefined;
  }

  /** Resolves once no advance is running (a timer-driven catch-up may be in flight at any moment). */
  async idle(): Promise<void> {
    while (this.run !== undefined) await this.run;
  }

  /** Clears the wall timer for good: jobs then run only through advanceBy/advanceTo. Servers call it on shutdown. */
  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private reanchor(sim: Millis): void {
    this.anchorSim = sim;
    this.anchorWall = this.wall.now();
    this.disarm();
  }

  /** Runs `work` as the only advance; re-arms the timer when it ends, however it ends. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    this.disarm();
    // Marked busy before work() starts: its first job runs synchronously and may schedule or call back in.
    let finished!: () => void;
    this.run = new Promise<void>((resolve) => (finished = resolve));
    return (async () => {
      try {
        await work();
      } finally {
        this.run = undefined;
        finished();
        this.arm();
      }
    })();
  }

  /** Makes sure one timer is armed for the earliest job, unless paused, stopped, idle or mid-advance. */
  private arm(): void {
    const due = this.inner.nextDueAt();
    if (this.timer !== undefined && this.timer.due === due) return; // already armed for the same instant
    this.disarm();
    if (this.stopped || this.run !== undefined || this.rate === 0 || due === undefined) return;
    const simDelay = Math.max(0, due - this.now());
    const wallDelay = Math.min(MAX_TIMER_MS, Math.ceil(simDelay / this.rate));
    this.timer = { handle: this.wall.setTimer(wallDelay, () => this.onTimer()), due };
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.wall.clearTimer(this.timer.handle);
    this.timer = undefined;
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.stopped || this.run !== undefined) return;
    const target = this.now();
    // If the timer fired early (a long wait cut short, or a coarse wall), nothing runs and arm() waits again.
    this.exclusive(() => this.inner.advanceTo(target)).catch(this.onError);
  }
}

function assertSpeed(speed: number): void {
  if (!Number.isFinite(speed) || speed < 0) {
    throw new RangeError(`speed must be a finite number >= 0 (0 pauses), got ${speed}`);
  }
}
