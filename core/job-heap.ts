import type { Job, JobId, Millis, ScheduledJob, TimerOwner } from "./clock.ts";

/**
 * A job as the heap keeps it: `seq` breaks ties between jobs due at the same instant (first scheduled runs first).
 * Either a closure with its label, or an owner's timer (owner + kind), which costs no closure and no label
 * string per job: the label is asked of the owner only when someone lists the pending jobs.
 */
export class HeapJob implements ScheduledJob {
  constructor(
    readonly id: JobId,
    readonly at: Millis,
    readonly seq: number,
    private readonly target: Job | TimerOwner<string>,
    /** The label of a closure job, the kind of an owner's timer. */
    private readonly tag: string,
  ) {}

  get label(): string {
    return typeof this.target === "function" ? this.tag : this.target.timerLabel(this.tag);
  }

  run(): void | Promise<void> {
    return typeof this.target === "function" ? this.target() : this.target.runTimer(this.tag);
  }
}

/**
 * Binary min-heap of scheduled jobs ordered by (at, seq).
 *
 * Removal is lazy: a cancelled job stays in the array, marked dead, and is dropped when it reaches the top.
 * That keeps cancel O(1) — the RealClock and device simulators cancel and reschedule constantly. When dead
 * entries outnumber live ones the array is rebuilt, so a long run of cancellations cannot grow memory forever.
 */
export class JobHeap {
  private items: HeapJob[] = [];
  /** Live jobs by id: the source of truth for size, removal and snapshots. */
  private readonly live = new Map<JobId, HeapJob>();
  private seq = 0;

  get size(): number {
    return this.live.size;
  }

  /** Adds a job; the heap assigns the tie-breaking sequence number. */
  push(entry: { id: JobId; at: Millis; label: string; job: Job }): HeapJob {
    return this.add(new HeapJob(entry.id, entry.at, this.seq + 1, entry.job, entry.label));
  }

  /** Adds an owner's timer of `kind` (see Clock.scheduleTimer), in the same order as push. */
  pushTimer<K extends string>(id: JobId, at: Millis, owner: TimerOwner<K>, kind: K): HeapJob {
    return this.add(new HeapJob(id, at, this.seq + 1, owner as TimerOwner<string>, kind));
  }

  private add(item: HeapJob): HeapJob {
    if (this.live.has(item.id)) throw new Error(`job ${item.id} is already scheduled`);
    this.seq += 1;
    this.live.set(item.id, item);
    this.items.push(item);
    this.siftUp(this.items.length - 1);
    return item;
  }

  /** The earliest live job, or undefined. */
  peek(): HeapJob | undefined {
    this.dropDeadTop();
    return this.items[0];
  }

  /** Removes and returns the earliest live job, or undefined. */
  pop(): HeapJob | undefined {
    this.dropDeadTop();
    const top = this.items[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live.delete(top.id);
    return top;
  }

  /** Returns whether the job was still pending. */
  remove(id: JobId): boolean {
    if (!this.live.delete(id)) return false;
    // Rebuild once dead entries pass a quarter of the live ones; otherwise a dead entry is skipped when it surfaces.
    // A fleet phone cancels and re-arms its offline timers on every heartbeat, so a looser bound (it was 2x) left
    // two dead entries per phone in the heap; a rebuild is O(n), paid once per n/4 cancellations.
    if (this.items.length > 32 && this.items.length > this.live.size + (this.live.size >> 2)) this.rebuild();
    return true;
  }

  /** Live jobs in the order they would run. O(n log n); meant for inspection panels, not hot loops. */
  sorted(): HeapJob[] {
    return [...this.live.values()].sort(compare);
  }

  private isDead(item: HeapJob): boolean {
    // Identity check, not just id: an id is never reused, but this keeps the heap honest if one ever were.
    return this.live.get(item.id) !== item;
  }

  private dropDeadTop(): void {
    let top = this.items[0];
    while (top !== undefined && this.isDead(top)) {
      this.removeTop();
      top = this.items[0];
    }
  }

  private removeTop(): void {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  private rebuild(): void {
    this.items = this.items.filter((item) => !this.isDead(item));
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(index: number): void {
    const items = this.items;
    const item = items[index];
    if (item === undefined) return;
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex];
      if (parent === undefined || compare(parent, item) <= 0) break;
      items[i] = parent;
      i = parentIndex;
    }
    items[i] = item;
  }

  private siftDown(index: number): void {
    const items = this.items;
    const item = items[index];
    if (item === undefined) return;
    const length = items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childItem = items[left];
      const rightItem = items[right];
      if (childItem === undefined) break;
      if (rightItem !== undefined && compare(rightItem, childItem) < 0) {
        child = right;
        childItem = rightItem;
      }
      if (compare(childItem, item) >= 0) break;
      items[i] = childItem;
      i = child;
    }
    items[i] = item;
  }
}

function compare(a: HeapJob, b: HeapJob): number {
  return a.at - b.at || a.seq - b.seq;
}
