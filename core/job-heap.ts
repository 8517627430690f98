import type { Job, JobId, Millis, ScheduledJob, TimerOwner } from "./clock.ts";
import { LiveJobs } from "./live-jobs.ts";
import { doubled } from "./typed-columns.ts";

/**
 * A job as the heap keeps it: either a closure with its label, or an owner's timer (owner + kind), which costs no
 * closure and no label string per job: the label is asked of the owner only when someone lists the pending jobs.
 * Its time and tie-breaking sequence number live in the heap's arrays, not here (a fleet holds 300,000 of these:
 * two fewer fields, and no boxed time, per job).
 */
export class HeapJob {
  /** Where the job sits in the heap's arrays (the heap keeps it current), so a cancel removes it at once. */
  index = -1;

  constructor(
    public id: JobId,
    private target: Job | TimerOwner<string>,
    /** The label of a closure job, the kind of an owner's timer. */
    private tag: string,
  ) {}

  get label(): string {
    return typeof this.target === "function" ? this.tag : this.target.timerLabel(this.tag);
  }

  run(): void | Promise<void> {
    return typeof this.target === "function" ? this.target() : this.target.runTimer(this.tag);
  }

  /** Makes a spare job (see JobHeap.release) a new one: same fields, no new object. */
  reuse(id: JobId, target: Job | TimerOwner<string>, tag: string): this {
    this.id = id;
    this.target = target;
    this.tag = tag;
    return this;
  }

  /** Whether the job was released (cleared) and not reused since. */
  get isSpare(): boolean {
    return this.target === NOTHING;
  }

  /** Drops the references a spare job would otherwise keep alive (an owner that has shut down, a closure). */
  clear(): void {
    this.target = NOTHING;
    this.tag = "";
  }
}

/** A pending job as listed: its time and its place among jobs due at the same instant. */
export interface ListedJob extends ScheduledJob {
  readonly seq: number;
}

const NOTHING: Job = () => undefined;

/**
 * Binary min-heap of scheduled jobs ordered by (at, seq).
 *
 * A fleet keeps hundreds of thousands of jobs (three timers per phone) and cancels two of them per heartbeat, so:
 * the sort keys live in two Float64Arrays beside the job array (sifting compares contiguous numbers instead of
 * chasing each job object and its boxed time), and each job knows its index, so a cancel takes it out at once in
 * O(log n). The heap it replaced left cancelled jobs in place, marked dead, looked each one up in the id map when
 * it surfaced, and rebuilt the whole array every n/4 cancellations; at 100,000 phones that was ~13% of the CPU.
 */
export class JobHeap {
  private readonly items: HeapJob[] = [];
  private ats = new Float64Array(64);
  private seqs = new Float64Array(64);
  /** Jobs by id, for cancel (a sorted array, not a Map: see LiveJobs). */
  private readonly live = new LiveJobs<HeapJob>();
  private seq = 0;
  /** Jobs cancelled or run, kept for reuse (see release). */
  private readonly spare: HeapJob[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Adds a job; the heap assigns the tie-breaking sequence number. */
  push(entry: { id: JobId; at: Millis; label: string; job: Job }): HeapJob {
    return this.add(this.job(entry.id, entry.job, entry.label), entry.at);
  }

  /** Adds an owner's timer of `kind` (see Clock.scheduleTimer), in the same order as push. */
  pushTimer<K extends string>(id: JobId, at: Millis, owner: TimerOwner<K>, kind: K): HeapJob {
    return this.add(this.job(id, owner as TimerOwner<string>, kind), at);
  }

  /**
   * A cancelled or finished job, back for reuse. A fleet phone re-arms three timers per heartbeat; each fresh job
   * lived ~6 simulated hours, long enough to be promoted and then die in the old generation, which is the costly
   * kind of garbage once the heap holds 100,000 phones. Reusing the object (its fields rewritten in place) makes
   * none. The caller must hold no reference to it any more (the clock releases a popped job after it ran).
   */
  release(item: HeapJob): void {
    // Still pending (the heap's index says so), or already a spare: releasing either would hand one object to two jobs.
    if (item.index !== -1 || item.isSpare) return;
    item.clear();
    if (this.spare.length < SPARE_LIMIT) this.spare.push(item);
  }

  private job(id: JobId, target: Job | TimerOwner<string>, tag: string): HeapJob {
    if (this.live.has(id)) throw new Error(`job ${id} is already scheduled`);
    const spare = this.spare.pop();
    return spare === undefined ? new HeapJob(id, target, tag) : spare.reuse(id, target, tag);
  }

  private add(item: HeapJob, at: Millis): HeapJob {
    this.seq += 1;
    this.live.set(item.id, item);
    const index = this.items.length;
    if (index === this.ats.length) this.grow();
    this.items.push(item);
    this.ats[index] = at;
    this.seqs[index] = this.seq;
    item.index = index;
    this.siftUp(index);
    return item;
  }

  /** The earliest job, or undefined. */
  peek(): HeapJob | undefined {
    return this.items[0];
  }

  /** When the earliest job is due, or undefined when none is pending. */
  peekAt(): Millis | undefined {
    return this.items.length === 0 ? undefined : this.ats[0];
  }

  /** Removes and returns the earliest job, or undefined. */
  pop(): HeapJob | undefined {
    const top = this.items[0];
    if (top === undefined) return undefined;
    this.live.delete(top.id);
    this.removeAt(0);
    return top;
  }

  /** Returns whether the job was still pending. */
  remove(id: JobId): boolean {
    const item = this.live.take(id);
    if (item === undefined) return false;
    this.removeAt(item.index);
    this.release(item);
    return true;
  }

  /** Jobs in the order they would run. O(n log n); meant for inspection panels, not hot loops. */
  sorted(): ListedJob[] {
    const listed: ListedJob[] = this.items.map((item, i) => ({ id: item.id, at: this.ats[i] as number, seq: this.seqs[i] as number, label: item.label }));
    return listed.sort(compare);
  }

  private grow(): void {
    this.ats = doubled(this.ats);
    this.seqs = doubled(this.seqs);
  }

  /** Takes out the job at `index`: the last one fills the hole and moves up or down to where it belongs. */
  private removeAt(index: number): void {
    const items = this.items;
    const removed = items[index];
    if (removed !== undefined) removed.index = -1;
    const lastIndex = items.length - 1;
    const last = items.pop();
    if (last === undefined || index === lastIndex) return;
    items[index] = last;
    this.ats[index] = this.ats[lastIndex] as number;
    this.seqs[index] = this.seqs[lastIndex] as number;
    last.index = index;
    if (index > 0 && this.less(index, (index - 1) >> 1)) this.siftUp(index);
    else this.siftDown(index);
  }

  /** Whether the job at i runs before the one at j. */
  private less(i: number, j: number): boolean {
    const a = this.ats[i] as number;
    const b = this.ats[j] as number;
    return a < b || (a === b && (this.seqs[i] as number) < (this.seqs[j] as number));
  }

  private siftUp(index: number): void {
    const { items, ats, seqs } = this;
    const item = items[index];
    if (item === undefined) return;
    const at = ats[index] as number;
    const seq = seqs[index] as number;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentAt = ats[parent] as number;
      if (parentAt < at || (parentAt === at && (seqs[parent] as number) < seq)) break;
      const parentItem = items[parent] as HeapJob;
      items[i] = parentItem;
      ats[i] = parentAt;
      seqs[i] = seqs[parent] as number;
      parentItem.index = i;
      i = parent;
    }
    items[i] = item;
    ats[i] = at;
    seqs[i] = seq;
    item.index = i;
  }

  private siftDown(index: number): void {
    const { items, ats, seqs } = this;
    const item = items[index];
    if (item === undefined) return;
    const at = ats[index] as number;
    const seq = seqs[index] as number;
    const length = items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childAt = ats[left] as number;
      let childSeq = seqs[left] as number;
      if (right < length) {
        const rightAt = ats[right] as number;
        const rightSeq = seqs[right] as number;
        if (rightAt < childAt || (rightAt === childAt && rightSeq < childSeq)) {
          child = right;
          childAt = rightAt;
          childSeq = rightSeq;
        }
      }
      if (at < childAt || (at === childAt && seq < childSeq)) break;
      const childItem = items[child] as HeapJob;
      items[i] = childItem;
      ats[i] = childAt;
      seqs[i] = childSeq;
      childItem.index = i;
      i = child;
    }
    items[i] = item;
    ats[i] = at;
    seqs[i] = seq;
    item.index = i;
  }
}

/** Enough spares for any burst of cancellations a step makes, without keeping a large heap's worth. */
const SPARE_LIMIT = 1024;

function compare(a: ListedJob, b: ListedJob): number {
  return a.at - b.at || a.seq - b.seq;
}
