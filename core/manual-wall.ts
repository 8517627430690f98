import type { Wall } from "./wall-clock.ts";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A Wall whose time moves only when a test says so. Lets RealClock (and servers built on it) be tested at any
 * speed without waiting for real time. Public because mock-server tests need it too.
 */
export class ManualWall implements Wall {
  private readonly timers = new Map<number, Timer>();
  private nextHandle = 1;

  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.time + Math.max(0, ms), seq: handle, fn });
    return handle;
  }

  clearTimer(handle: unknown): void {
    if (typeof handle === "number") this.timers.delete(handle);
  }

  /** Timers armed and not yet fired or cleared. */
  get timerCount(): number {
    return this.timers.size;
  }

  /** Due time of the earliest armed timer, if any. */
  nextTimerAt(): number | undefined {
    return this.earliest()?.[1].at;
  }

  /**
   * Moves real time forward by `ms`, firing every timer that falls due, in order, at its own due time — including
   * timers armed by earlier callbacks. After each callback it awaits `settle()` so async work it started (e.g. a
   * RealClock catching up: pass `() => clock.idle()`) finishes and can arm its next timer before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`a wall only moves forward, got ${ms} ms`);
    const end = this.time + ms;
    for (let next = this.earliest(); next !== undefined && next[1].at <= end; next = this.earliest()) {
      const [handle, timer] = next;
      this.timers.delete(handle);
      this.time = Math.max(this.time, timer.at);
      timer.fn();
      await settle();
    }
    this.time = end;
  }

  private earliest(): [number, Timer] | undefined {
    let best: [number, Timer] | undefined;
    for (const entry of this.timers) {
      const [, timer] = entry;
      if (best === undefined || timer.at < best[1].at || (timer.at === best[1].at && timer.seq < best[1].seq)) {
        best = entry;
      }
    }
    return best;
  }
}
