import { ClockWentBackwards, DAY, type ControllableClock, type Job, type JobId, type Millis, type ScheduledJob, type TimerOwner } from "../core/clock.ts";
import type { Journal, JournalEvent } from "../core/journal.ts";
import type { VirtualClock } from "../core/virtual-clock.ts";
import { advanceInSlices, runUntilInSlices, type Wall } from "../core/wall-clock.ts";
import { isRoutine } from "../scenarios/report/narrate.ts";

/** Real milliseconds between two moves of the clock while playing: smooth enough for a room to watch. */
export const FRAME_MS = 100;

/** How far "step" looks for the next notable event, by default, before it stops anyway: a quiet week. */
const STEP_LIMIT = 7 * DAY;
/** Real milliseconds between two progress reports of a long jump (see Director.progress). */
const PROGRESS_MS = 1000;

/** What "step" stops at, and how far it may look; the stage knows its phones, the director only the clock. */
export interface StepRules {
  /** An event worth stopping for (default: anything but routine bookkeeping). */
  readonly notable?: (event: JournalEvent) => boolean;
  /** What the room sees, in a few words (screens, standings): step stops when it changes. */
  readonly watch?: () => string;
  /** A moment with no job of its own worth stopping at (a restart finishing), or undefined. */
  readonly nextMoment?: (now: Millis) => Millis | undefined;
  /** How far to look from `now` (default a week; further while a phone is offline and heads for its offline lock). */
  readonly limit?: (now: Millis) => Millis;
}

export interface DirectorOptions {
  readonly clock: VirtualClock;
  readonly journal: Journal;
  readonly wall: Wall;
  /** Simulated ms per real ms while playing; default 3600 (an hour per second). */
  readonly speed?: number;
  readonly playing?: boolean;
  /** Told after every move of the clock and every change of speed or play state. */
  readonly onChange?: () => void;
  /** Errors from a move the timer started (nobody awaits those); default: rethrown, loud. */
  readonly onError?: (error: unknown) => void;
  readonly step?: StepRules;
}

/**
 * Paces a world's virtual clock for a live audience: play and pause, a speed dial, "step to the next event"
 * and jumps. It is the only thing that moves the clock, so moves never overlap.
 *
 * A scripted scenario waits through `until(at)`: the clock then flows up to the step's time and *holds* there
 * while the step is carried out, however fast it is playing, so the live run tells exactly the story the CLI
 * run tells. The world's service and phones see the clock through `steering`, so the facilitator API
 * (PATCH /v1/sim/clock: speed, advance) drives this same pacing.
 *
 * This is an edge: real time comes only from the injected Wall, and tests hand it a ManualWall.
 */
export class Director {
  readonly steering: ControllableClock;
  private readonly clock: VirtualClock;
  private readonly journal: Journal;
  private readonly wall: Wall;
  private readonly onChange: () => void;
  private readonly onError: (error: unknown) => void;
  private rate: number;
  private isPlaying: boolean;
  /** Where the script waits, and how to wake it. */
  private waiting: { readonly at: Millis; readonly wake: () => void } | undefined;
  /** The script reached its wait and is carrying out the step: the clock holds until it waits again. */
  private holdingStep = false;
  /** Everyone waiting for the script to move on (a jump, a rewind, a second tab's jump): all are woken at once. */
  private scriptWaiters: (() => void)[] = [];
  /** Moves of the clock, one after another. */
  private queue: Promise<void> = Promise.resolve();
  private timer: unknown;
  private lastFrame = 0;
  private progressAt = Number.NEGATIVE_INFINITY;
  /** Fractions of a simulated millisecond not yet spent (speed 1 with coarse timers). */
  private carry = 0;
  private stopped = false;
  /** The script has ended (release): no wait is coming. */
  private released = false;
  private readonly rules: StepRules;

  constructor(options: DirectorOptions) {
    this.rules = options.step ?? {};
    this.clock = options.clock;
    this.journal = options.journal;
    this.wall = options.wall;
    this.onChange = options.onChange ?? (() => undefined);
    this.onError =
      options.onError ??
      ((error) => {
        throw error;
      });
    this.rate = checkSpeed(options.speed ?? 3600);
    this.isPlaying = options.playing ?? false;
    this.steering = this.steer();
    if (this.isPlaying) this.arm();
  }

  now(): Millis {
    return this.clock.now();
  }

  get speed(): number {
    return this.rate;
  }

  get playing(): boolean {
    return this.isPlaying;
  }

  /** True while the script carries out a step (the clock holds meanwhile). */
  get holding(): boolean {
    return this.holdingStep;
  }

  /** The next time something is due: a job on the clock or the script's next step. */
  nextDueAt(): Millis | undefined {
    const job = this.clock.nextDueAt();
    const step = this.holdingStep ? undefined : this.waiting?.at;
    if (job === undefined) return step;
    return step === undefined ? job : Math.min(job, step);
  }

  play(speed?: number): void {
    if (speed !== undefined) this.rate = checkSpeed(speed);
    if (!this.isPlaying) {
      this.isPlaying = true;
      this.lastFrame = this.wall.now();
      this.carry = 0;
      this.arm();
    }
    this.onChange();
  }

  pause(): void {
    this.isPlaying = false;
    this.disarm();
    this.onChange();
  }

  setSpeed(speed: number): void {
    if (speed === 0) return this.pause();
    this.rate = checkSpeed(speed);
    this.onChange();
  }

  /**
   * The script's wait (a ScenarioRun's `advance`): resolves once the clock reached `at`, every job due by then
   * has run, and the clock holds there. A time already passed resolves after the jobs due so far have run.
   */
  until(at: Millis): Promise<void> {
    this.holdingStep = false;
    return new Promise<void>((wake) => {
      this.waiting = { at: Math.max(at, this.clock.now()), wake };
      this.wakeScript();
      // Already there (a step at the same instant as the last one): no frame needed to arrive.
      void this.move(() => this.reach(this.clock.now())).catch(this.onError);
    });
  }

  /** The script has ended: the clock flows freely again while playing. */
  release(): void {
    this.released = true;
    this.holdingStep = false;
    this.waiting = undefined;
    this.wakeScript();
    this.onChange();
  }

  /**
   * Runs the clock to the next thing worth telling: the first event that is not routine bookkeeping (a routine
   * heartbeat, a check-in), or the script's next step, whichever comes first; at most a day on.
   */
  step(): Promise<void> {
    return this.move(async () => {
      if (this.holdingStep) return; // a step is being carried out; its events are the next thing to tell
      const now = this.clock.now();
      const moment = this.rules.nextMoment?.(now);
      const limit = Math.min(this.waiting?.at ?? Infinity, moment ?? Infinity, this.rules.limit?.(now) ?? now + STEP_LIMIT);
      const seq = this.journal.lastSeq;
      const isNotable = this.rules.notable ?? ((event: JournalEvent) => !isRoutine(event));
      const seen = this.rules.watch?.();
      const notable = () => this.journal.after(seq).some(isNotable) || (seen !== undefined && this.rules.watch?.() !== seen);
      await this.clock.runUntil(notable, Math.max(limit, now));
      await this.reach(this.clock.now());
    });
  }

  /**
   * Jumps to `target`, running everything due on the way, and the script's steps in their turn. The
   * facilitator's jump (`betweenSteps`) first lets a step being carried out finish, so two steps at one instant
   * both happen at that instant; a jump from inside a step (facilitator.advance) cannot wait for itself.
   */
  async jumpTo(target: Millis, betweenSteps = false): Promise<void> {
    if (target < this.clock.now()) throw new ClockWentBackwards(this.clock.now(), target);
    for (;;) {
      if (betweenSteps && this.holdingStep) {
        await this.scriptMoves();
        if (this.stopped) return;
        continue;
      }
      const stop = this.holdingStep ? undefined : this.waiting?.at;
      if (stop === undefined || stop > target) {
        await this.move(async () => this.sliced(Math.max(target, this.clock.now())));
        return;
      }
      const moved = this.scriptMoves();
      // To the step in slices too: three weeks between two steps of a 1,000-phone story are ~35 s of heartbeats,
      // which in one advance would leave /healthz and every other client unanswered until they had run.
      await this.move(async () => {
        await this.sliced(stop);
        await this.reach(stop); // nothing, once stopped
      });
      await moved; // the script carried out its step and waits again (or ended)
      if (this.stopped) return;
    }
  }

  /**
   * Runs the story on, the script's steps in their turn, until the journal holds event `seq` and the job or
   * step that wrote it has finished, never past `limit` (the event's time): how a rewind stops at an event.
   */
  async runToEvent(seq: number, limit: Millis): Promise<void> {
    const reached = () => this.journal.lastSeq >= seq;
    for (;;) {
      // The script is starting or carrying out a step: wait until it waits for its next one, or has ended.
      if (this.holdingStep || (this.waiting === undefined && !this.released)) await this.scriptMoves();
      if (this.stopped || reached()) return;
      const stop = this.waiting?.at;
      let hit = false;
      await this.move(async () => {
        // In slices, as a jump: replaying weeks of a fleet to reach an event must not leave the server unanswered.
        const end = Math.max(this.clock.now(), Math.min(stop ?? limit, limit));
        hit = await runUntilInSlices(this.clock, reached, end, this.wall, { stopped: () => this.stopped });
      });
      if (this.stopped || hit || reached() || stop === undefined || stop > limit) return;
      const moved = this.scriptMoves();
      await this.move(async () => this.reach(stop));
      await moved;
    }
  }

  /** Stops the frame timer for good (the stage is being replaced or the server stops). */
  stop(): void {
    this.stopped = true;
    this.isPlaying = false;
    this.disarm();
    this.release();
  }

  /**
   * Advances to `target` in slices that yield to the event loop (core/wall-clock.ts), so `/healthz`, other
   * clients and the page's stream keep being answered while a year of heartbeats runs; the page is told before
   * each yield, which is the jump's progress.
   */
  private sliced(target: Millis): Promise<void> {
    return advanceInSlices(this.clock, target, this.wall, { onYield: () => this.progress(), stopped: () => this.stopped });
  }

  /**
   * Tells the page how far a jump has come, at most once a second of real time: each telling builds the whole
   * state (every phone's screen). At every 15 ms yield that took a 1,000-phone month from ~7 s to 9-11 s and its
   * stream from 2 MB to 22 MB; once a second costs a few hundred milliseconds, and the page still sees the clock move.
   */
  private progress(): void {
    const now = this.wall.now();
    if (now - this.progressAt < PROGRESS_MS) return;
    this.progressAt = now;
    this.onChange();
  }

  /** Moves the clock to `at` (never past the script's wait) and wakes the script when its time has come. */
  private async reach(at: Millis): Promise<void> {
    if (this.stopped) return; // the world is being replaced or closed: nothing more runs on it
    const wait = this.holdingStep ? undefined : this.waiting;
    const target = wait === undefined ? at : Math.min(at, wait.at);
    if (target > this.clock.now() || (this.clock.nextDueAt() ?? Infinity) <= target) await this.clock.advanceTo(Math.max(target, this.clock.now()));
    if (wait !== undefined && this.clock.now() >= wait.at && this.waiting === wait) {
      this.holdingStep = true;
      this.waiting = undefined;
      wait.wake();
    }
  }

  /** Queues a move of the clock after the ones already queued, and tells the page when it is done. */
  private move(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run.finally(() => this.onChange());
  }

  private wakeScript(): void {
    const waiters = this.scriptWaiters;
    this.scriptWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when the script next moves on (or the director stops: stop() releases the script). */
  private scriptMoves(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => this.scriptWaiters.push(resolve));
  }

  /**
   * The clock as the world's service and phones see it: scheduling goes straight to the virtual clock; speed
   * and advances (the facilitator API) come here and queue with the director's own moves, so it is never busy.
   */
  private steer(): ControllableClock {
    const clock = this.clock;
    return {
      canRun: true,
      busy: false,
      now: () => clock.now(),
      schedule: (at: Millis, job: Job, label?: string): JobId => clock.schedule(at, job, label),
      scheduleTimer: <K extends string>(at: Millis, owner: TimerOwner<K>, kind: K): JobId => clock.scheduleTimer(at, owner, kind),
      cancel: (id: JobId) => clock.cancel(id),
      pending: (): readonly ScheduledJob[] => clock.pending(),
      speed: () => (this.isPlaying ? this.rate : 0),
      setSpeed: (speed: number) => (speed === 0 ? this.pause() : this.play(speed)),
      advanceBy: (ms: Millis) => this.jumpTo(clock.now() + ms),
      advanceTo: (at: Millis) => this.jumpTo(at),
    };
  }

  private arm(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.lastFrame = this.wall.now();
    this.timer = this.wall.setTimer(FRAME_MS, () => this.frame());
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.wall.clearTimer(this.timer);
    this.timer = undefined;
  }

  private frame(): void {
    this.timer = undefined;
    if (!this.isPlaying || this.stopped) return;
    const wallNow = this.wall.now();
    const budget = (wallNow - this.lastFrame) * this.rate + this.carry;
    const whole = Math.floor(budget);
    this.carry = budget - whole;
    // While the script carries out a step the clock holds: the step happens at its own time, not later.
    this.move(async () => (this.holdingStep ? undefined : this.reach(this.clock.now() + whole)))
      .catch(this.onError)
      .finally(() => {
        // The next frame counts from when this one was due, so a slow move does not slow the room's clock.
        if (this.isPlaying && !this.stopped) {
          this.timer = this.wall.setTimer(FRAME_MS, () => this.frame());
          this.lastFrame = wallNow;
        }
      });
  }
}

function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number of simulated ms per real ms, got ${speed}`);
  return speed;
}
