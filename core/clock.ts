/**
 * Time for everything in Heartlock. The core never reads the wall clock or arms a timer itself:
 * it asks an injected Clock, so a 30-day story runs in milliseconds on a VirtualClock and in a
 * workshop at "one hour per second" on a RealClock, with the same rules.
 *
 * Times are epoch milliseconds (UTC) on the *simulated* timeline.
 */
export type Millis = number;

/** A job may be async (a heartbeat over HTTP); the clock awaits it before running the next one. */
export type Job = () => void | Promise<void>;

export type JobId = number;

export interface ScheduledJob {
  readonly id: JobId;
  readonly at: Millis;
  /** Short human label ("sync acct-1", "heartbeat dev-1"), shown by the studio's pending-jobs panel. */
  readonly label: string;
}

/**
 * Something that arms timers of a few kinds and runs them itself (a simulated phone): the clock keeps only
 * (owner, kind) per job, not a closure and a label string, which matters when 100,000 phones each re-arm
 * two timers per heartbeat.
 */
export interface TimerOwner<K extends string> {
  runTimer(kind: K): void | Promise<void>;
  /** The job's label in pending(), asked only when someone lists them. */
  timerLabel(kind: K): string;
}

export interface Clock {
  now(): Millis;
  /** Runs `job` once the simulated time reaches `at` (a time in the past runs at the next advance). */
  schedule(at: Millis, job: Job, label?: string): JobId;
  /**
   * Runs `owner.runTimer(kind)` once the simulated time reaches `at`: exactly schedule(at, () =>
   * owner.runTimer(kind), label) — same order among jobs, same cancel — with the label asked of the owner
   * when pending() is read.
   */
  scheduleTimer<K extends string>(at: Millis, owner: TimerOwner<K>, kind: K): JobId;
  /** Cancelling an unknown or already-run job is a no-op. */
  cancel(id: JobId): void;
  /** Jobs not yet run, earliest first. */
  pending(): readonly ScheduledJob[];
}

/** A clock someone can steer: the facilitator's controls and the scenario runner. */
export interface ControllableClock extends Clock {
  /** False for a clock that moves only when told (VirtualClock): its speed is always 0. */
  readonly canRun: boolean;
  /** True while an advance is running its due jobs; another advance then is refused (it could deadlock). */
  readonly busy: boolean;
  /** Simulated milliseconds per real millisecond: 0 is paused, 1 is real time, 3600 is an hour per second. */
  speed(): number;
  setSpeed(speed: number): void;
  /** Moves the clock forward, running every job that falls due, in (time, scheduling order). */
  advanceBy(ms: Millis): Promise<void>;
  /** Same as advanceBy to an absolute time; a time before now() is refused with ClockWentBackwards. */
  advanceTo(at: Millis): Promise<void>;
}

export class ClockWentBackwards extends Error {
  readonly code = "clock_went_backwards";
  constructor(
    readonly now: Millis,
    readonly requested: Millis,
  ) {
    super(`the clock cannot go back from ${new Date(now).toISOString()} to ${new Date(requested).toISOString()}`);
    this.name = "ClockWentBackwards";
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The ISO-8601 form of a time. A fleet formats the same few instants over and over (every event of one job,
 * a heartbeat's serverTime and nextHeartbeatAt), so the last two answers are remembered: equal times then
 * share one string instead of allocating (and keeping, in a journal) a copy each.
 */
export function iso(at: Millis): string {
  if (at === isoAt0) return isoText0;
  if (at === isoAt1) return isoText1;
  const text = new Date(at).toISOString();
  isoAt1 = isoAt0;
  isoText1 = isoText0;
  isoAt0 = at;
  isoText0 = text;
  return text;
}

let isoAt0 = Number.NaN;
let isoText0 = "";
let isoAt1 = Number.NaN;
let isoText1 = "";
