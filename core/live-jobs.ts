import type { JobId } from "./clock.ts";
import { doubled } from "./typed-columns.ts";

/**
 * The pending jobs by id, for cancel: a sorted array with a binary search, not a Map.
 *
 * The clock hands ids out in ascending order, so a new job is appended and the ids stay sorted without sorting. A
 * removed job leaves a hole (its id stays, its item is undefined) that a search skips over, and the holes are
 * closed in one pass once there are more than 16 and they are a quarter of the entries, so a removal costs
 * O(log n) plus O(1) on average.
 *
 * Why not a Map: a fleet keeps three timers per phone and re-arms them at every heartbeat. At 3,000 phones the
 * Map's hash table held its 9,000 entries in ~100 bytes each (its spare capacity and the slots of deleted entries
 * it keeps until it rehashes), a tenth of an idle phone's whole heap. Here an entry is 16 bytes (a Float64 id and a
 * pointer) with at most a third more in holes and the arrays' spare capacity.
 */
export class LiveJobs<T> {
  private ids = new Float64Array(64);
  private readonly items: (T | undefined)[] = [];
  private holes = 0;

  /** How many jobs are live. */
  get size(): number {
    return this.items.length - this.holes;
  }

  get(id: JobId): T | undefined {
    const index = this.indexOf(id);
    return index < 0 ? undefined : this.items[index];
  }

  has(id: JobId): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds a job under an id not live now. An id below the last one (never from the clock) is inserted in place. */
  set(id: JobId, item: T): void {
    const length = this.items.length;
    if (length === this.ids.length) this.grow();
    if (length === 0 || id > (this.ids[length - 1] as number)) {
      this.ids[length] = id;
      this.items.push(item);
      return;
    }
    const at = this.lowerBound(id);
    if (this.ids[at] === id) {
      if (this.items[at] !== undefined) throw new Error(`job ${id} is already scheduled`);
      this.items[at] = item;
      this.holes -= 1;
      return;
    }
    this.ids.copyWithin(at + 1, at, length);
    this.ids[at] = id;
    this.items.splice(at, 0, item);
  }

  /** Returns whether the id was live. */
  delete(id: JobId): boolean {
    return this.take(id) !== undefined;
  }

  /** Removes the job with this id and returns it, or undefined when none is live. */
  take(id: JobId): T | undefined {
    const index = this.indexOf(id);
    const item = index < 0 ? undefined : this.items[index];
    if (item === undefined) return undefined;
    this.items[index] = undefined;
    this.holes += 1;
    if (this.holes > 16 && this.holes * 4 > this.items.length) this.closeHoles();
    return item;
  }

  /** Where `id` is, or -1. A new id (above the last) is known absent without a search. */
  private indexOf(id: JobId): number {
    const length = this.items.length;
    if (length === 0 || id > (this.ids[length - 1] as number)) return -1;
    const at = this.lowerBound(id);
    return at < this.items.length && this.ids[at] === id ? at : -1;
  }

  /** The first index whose id is >= `id`. */
  private lowerBound(id: JobId): number {
    const ids = this.ids;
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((ids[mid] as number) < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private closeHoles(): void {
    const { ids, items } = this;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item === undefined) continue;
      ids[kept] = ids[i] as number;
      items[kept] = item;
      kept += 1;
    }
    items.length = kept;
    this.holes = 0;
  }

  private grow(): void {
    this.ids = doubled(this.ids);
  }
}
