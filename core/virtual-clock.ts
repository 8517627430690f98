import { ClockWentBackwards } from "./clock.ts";
import type { ControllableClock, Job, JobId, Millis, ScheduledJob, TimerOwner } from "./clock.ts";
import { JobHeap } from "./job-heap.ts";

/**
 * A clock that only moves when told. Scenarios and tests drive it with advanceBy/advanceTo/runUntil; a 30-day
 * story runs as fast as its jobs do.
 *
 * Jobs run one at a time in (at, scheduling order) and each is awaited before the next starts, so an async
 * heartbeat finishes before the next event in simulated time — that is what makes a seeded run reproducible.
 *
 * When a job throws, the run stops right there: the failed job is gone (it ran), now() stays at that job's time,
 * every later job stays pending, and the error is rethrown to whoever drove the clock. The clock is fully usable
 * afterwards; calling advanceTo(target) again continues from where it stopped. Continuing past a failure
 * silently, or moving now() to the target anyway, would report a time at which the world is not what it seems.
 */
export class VirtualClock implements ControllableClock {
  readonly canRun = false;
  private current: Millis;
  private readonly jobs = new JobHeap();
  private nextId = 1;
  /** Name of the operation driving the clock, if any — see enter(). */
  private running: string | undefined;

  constructor(start: Millis) {
    assertTime(start, "start");
    this.current = start;
  }

  now(): Millis {
    return this.current;
  }

  /** A time in the past is due at once: it runs at the next advance, with now() unchanged (never backwards). */
  schedule(at: Millis, job: Job, label = "job"): JobId {
    assertTime(at, "at");
    const id = this.nextId++;
    this.jobs.push({ id, at, label, job });
    return id;
  }

  scheduleTimer<K extends string>(at: Millis, owner: TimerOwner<K>, kind: K): JobId {
    assertTime(at, "at");
    const id = this.nextId++;
    this.jobs.pushTimer(id, at, owner, kind);
    return id;
  }

  cancel(id: JobId): void {
    this.jobs.remove(id);
  }

  pending(): readonly ScheduledJob[] {
    return this.jobs.sorted().map(({ id, at, label }) => ({ id, at, label }));
  }

  /** When the earliest pending job is due, or undefined when nothing is pending. */
  nextDueAt(): Millis | undefined {
    return this.jobs.peekAt();
  }

  /** Whether an advance/runNext/runUntil is in progress (a job of it is being awaited). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Always 0: a virtual clock does not flow on its own. */
  speed(): number {
    return 0;
  }

  setSpeed(speed: number): void {
    if (speed !== 0) {
      throw new Error(`a VirtualClock only moves when told (advanceBy/advanceTo); speed ${speed} needs a RealClock`);
    }
  }

  async advanceBy(ms: Millis): Promise<void> {
    assertTime(ms, "ms");
    if (ms < 0) throw new ClockWentBackwards(this.current, this.current + ms);
    await this.advanceTo(this.current + ms);
  }

  /**
   * Runs every job due at or before `target` — including jobs that running jobs schedule before `target` —
   * then leaves now() at `target`.
   */
  async advanceTo(target: Millis): Promise<void> {
    assertTime(target, "target");
    if (target < this.current) throw new ClockWentBackwards(this.current, target);
    this.enter("advanceTo");
    try {
      for (let at = this.jobs.peekAt(); at !== undefined && at <= target; at = this.jobs.peekAt()) {
        await this.runJob();
      }
      this.current = target;
    } finally {
      this.running = undefined;
    }
  }

  /** Jumps to the earliest pending job and runs exactly that one. Returns false when nothing is pending. */
  async runNext(): Promise<boolean> {
    this.enter("runNext");
    try {
      if (this.jobs.peek() === undefined) return false;
      await this.runJob();
      return true;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Runs jobs one at a time until `predicate()` holds (checked before the first job and after each one) and
   * returns true, leaving now() at the job that made it true. If the next job is after `limit` (or none is
   * left), moves now() to `limit` and returns false.
   */
  async runUntil(predicate: () => boolean, limit: Millis): Promise<boolean> {
    assertTime(limit, "limit");
    if (limit < this.current) throw new ClockWentBackwards(this.current, limit);
    this.enter("runUntil");
    try {
      if (predicate()) return true;
      for (let at = this.jobs.peekAt(); at !== undefined && at <= limit; at = this.jobs.peekAt()) {
        await this.runJob();
        if (predicate()) return true;
      }
      this.current = limit;
      return false;
    } finally {
      this.running = undefined;
    }
  }

  /** Pops the earliest job, moves now() to its time (never backwards) and awaits it. */
  private async runJob(): Promise<void> {
    const at = this.jobs.peekAt();
    const next = this.jobs.pop();
    if (next === undefined || at === undefined) return;
    if (at > this.current) this.current = at;
    try {
      await next.run();
    } finally {
      // Nothing refers to a popped job once it has run: the heap may reuse the object for a later one.
      this.jobs.release(next);
    }
  }

  /**
   * One driver at a time. A job that awaits the clock's own advance would wait for itself forever, and two
   * interleaved advances would run jobs out of order; both are bugs worth a loud error rather than a hang.
   */
  private enter(operation: string): void {
    if (this.running !== undefined) {
      throw new Error(
        `VirtualClock.${operation} called while ${this.running} is still running; ` +
          `a job must not drive the clock it runs on (schedule a job instead), and callers must await each advance`,
      );
    }
    this.running = operation;
  }
}

function assertTime(value: Millis, name: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of milliseconds, got ${value}`);
}
