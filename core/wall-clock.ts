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
