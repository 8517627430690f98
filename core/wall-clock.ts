/**
 * The real world's time and timers, behind an interface.
 *
 * This is the ONLY file in core/ allowed to read Date.now() or arm a real timer. RealClock reaches the outside
 * world through a Wall, and tests hand it a fake Wall with manual time, so no test ever waits for real time.
 */
export interface Wall {
  /** Real epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms` real milliseconds; the handle is only good for clearTimer. */
  setTimer(ms: number, fn: () => void): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * The process's own clock and timers. Timers are deliberately left ref'd: a server whose only pending work is
 * the next simulated heartbeat must stay alive, and servers clear the timer on shutdown (RealClock.stop()).
 */
export const systemWall: Wall = {
  now: () => Date.now(),
  setTimer: (ms, fn) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Real milliseconds since an arbitrary origin, for reporting how long a run took (never for simulated time). */
export function realElapsed(): number {
  return performance.now();
}

/**
 * Lets the event loop answer pending I/O (other requests, `/healthz`) before going on; simulated time does not
 * move, so a run's journal is the same with or without it. For long clock jumps that run in slices.
 */
export function yieldToEventLoop(): Promise<void> {
  // setImmediate runs after pending I/O in Node; a browser (the MSW build) has only a timer.
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise((resume) => (immediate ? immediate(resume) : setTimeout(resume, 0)));
}

/**
 * A long jump runs in slices of this much simulated time, and once the slices have taken YIELD_AFTER_MS of real
 * time the jump yields to the event loop, so `/healthz` and other clients keep being answered while a year of
 * heartbeats runs. The studio's director and the real-time clock (`serve --data`) both jump this way.
 */
export const SLICE_MS = 3_600_000;
/** Real milliseconds of work between two yields: short enough that a health check waits at most about this long. */
const YIELD_AFTER_MS = 15;

interface Advancing {
  now(): number;
  advanceTo(target: number): Promise<void>;
}

/** What a long move may be told: `onYield` runs just before each yield (the studio tells the page), `stopped` ends it early. */
export interface SliceOptions {
  readonly onYield?: () => void;
  readonly stopped?: () => boolean;
}

/**
 * Advances `clock` to `target` slice by slice, yielding between slices (see SLICE_MS). `onYield` runs just
 * before each yield (the studio tells the page: the jump's progress); `stopped` ends the jump early.
 */
export async function advanceInSlices(clock: Advancing, target: number, wall: Pick<Wall, "now">, options: SliceOptions = {}): Promise<void> {
  await inSlices(
    async (until) => {
      await clock.advanceTo(until);
      return false;
    },
    clock,
    target,
    wall,
    options,
  );
}

/**
 * As advanceInSlices, but stops as soon as `predicate` holds (after the job that made it true): a rewind that
 * replays the story up to one event. Resolves whether the predicate held.
 */
export function runUntilInSlices(
  clock: Advancing & { runUntil(predicate: () => boolean, limit: number): Promise<boolean> },
  predicate: () => boolean,
  target: number,
  wall: Pick<Wall, "now">,
  options: SliceOptions = {},
): Promise<boolean> {
  return inSlices((until) => clock.runUntil(predicate, until), clock, target, wall, options);
}

/** Runs `step` to each slice's end, then to `target`, yielding as SLICE_MS says; true as soon as a step is. */
async function inSlices(step: (until: number) => Promise<boolean>, clock: Pick<Advancing, "now">, target: number, wall: Pick<Wall, "now">, options: SliceOptions): Promise<boolean> {
  const stopped = options.stopped ?? (() => false);
  let since = wall.now();
  while (clock.now() + SLICE_MS < target && !stopped()) {
    if (await step(clock.now() + SLICE_MS)) return true;
    if (wall.now() - since >= YIELD_AFTER_MS) {
      options.onYield?.();
      await yieldToEventLoop();
      since = wall.now();
    }
  }
  return stopped() ? false : step(target);
}
