import { iso, type Millis } from "./clock.ts";
import { EventList, type EventStore } from "./event-store.ts";

/**
 * Who did something. The sequence diagram has one lane per actor.
 * `lock-service` is the mock standing-status server; `owner` is the phone's owner.
 */
export type Actor = "device" | "lock-service" | "lender" | "sync" | "support" | "owner" | "facilitator";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EventData = { [key: string]: JsonValue };

/** One thing that happened: a message, a state change, a fault. Append-only; `seq` starts at 1. */
export interface JournalEvent {
  readonly seq: number;
  /** ISO-8601 UTC on the simulated clock. */
  readonly at: string;
  readonly actor: Actor;
  readonly type: string;
  readonly data: EventData;
}

export type JournalListener = (event: JournalEvent) => void;

export interface JournalOptions {
  /**
   * Retention: keep only the last `keep` events in memory (older ones are dropped, `seq` keeps counting), so a
   * long-running server has flat memory. Unset keeps everything, as a scenario run needs for its reports.
   */
  readonly keep?: number;
}

/** One page of events (see Journal.page): `next` is the `after` for the next page, present while more exist. */
export interface JournalPage {
  readonly events: readonly JournalEvent[];
  readonly next?: number;
}

/**
 * The single history of a run. The studio, reports, expectations and replays all read it;
 * nothing keeps a second history.
 */
export class Journal {
  /** seq of the last event ever appended; survives clear() so `after=<seq>` readers never see a seq twice. */
  private last = 0;
  private readonly listeners = new Set<JournalListener>();

  private readonly keep: number;

  constructor(
    private readonly now: () => Millis,
    options: JournalOptions = {},
    /** Where the kept events live: the plain list, or a fleet journal's compact columns. */
    private readonly events: EventStore = new EventList(),
  ) {
    if (options.keep !== undefined && (!Number.isSafeInteger(options.keep) || options.keep < 1)) throw new RangeError(`keep must be a whole number >= 1, got ${options.keep}`);
    this.keep = options.keep ?? Infinity;
  }

  append(actor: Actor, type: string, data: EventData = {}): JournalEvent {
    const event: JournalEvent = {
      seq: ++this.last,
      at: iso(this.now()),
      actor,
      type,
      data: stripUndefined(data),
    };
    this.events.push(event);
    // Dropped in batches, so retention costs O(1) per event on average rather than a shift per append.
    if (this.events.length > this.keep + Math.min(this.keep, 4096)) this.events.dropOldest(this.events.length - this.keep);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events with seq greater than `seq` (all of them for 0). */
  after(seq = 0): readonly JournalEvent[] {
    return this.events.slice(this.indexAfter(seq));
  }

  /** At most `count` kept events with seq below `seq`, oldest first (the studio's "show earlier"). */
  before(seq: number, count: number): readonly JournalEvent[] {
    const end = this.indexAfter(seq - 1);
    return this.events.slice(Math.max(0, end - count), end);
  }

  /**
   * Where the first kept event with seq greater than `seq` is. The kept seqs ascend but need not be
   * consecutive (a fleet journal folds routine heartbeats and leaves gaps), so the place is searched for.
   */
  private indexAfter(seq: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events.seqAt(mid) <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * At most `limit` events with seq greater than `after`, oldest first. Pages stay consistent while events
   * arrive: a reader passes `next` back as `after`. Events retention dropped are simply not there; `firstSeq`
   * tells where the kept history starts.
   */
  page(after: number, limit: number): JournalPage {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number >= 1, got ${limit}`);
    const from = this.indexAfter(after);
    const events = this.events.slice(from, from + limit);
    if (from + limit >= this.events.length) return { events };
    return { events, next: events[events.length - 1]?.seq ?? after };
  }

  /** The last `count` events (the studio's welcome: a page load no longer costs the whole history). */
  latest(count: number): readonly JournalEvent[] {
    return this.events.slice(Math.max(0, this.events.length - count));
  }

  /** seq of the oldest event still kept (lastSeq + 1 when none is). */
  get firstSeq(): number {
    return this.events.length > 0 ? this.events.seqAt(0) : this.last + 1;
  }

  /** How many kept events are of `type` (without building them). */
  keptCount(type: string): number {
    return this.events.countType(type);
  }

  get lastSeq(): number {
    return this.last;
  }

  /**
   * Picks up a history saved elsewhere (a `--data` store after a restart): its last events come back and `seq`
   * continues after `lastSeq`, so a poller resuming with `after` misses nothing. Only on an empty journal.
   */
  resume(events: readonly JournalEvent[], lastSeq: number): void {
    if (this.last !== 0 || this.events.length > 0) throw new Error("Journal.resume needs an empty journal");
    for (const event of events.slice(Math.max(0, events.length - (Number.isFinite(this.keep) ? this.keep : events.length)))) this.events.push(event);
    this.last = lastSeq;
  }

  /** Returns an unsubscribe function. */
  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Takes the next seq without keeping an event: a layer that folds events (fleet mode) keeps seqs equal to a full run's. */
  protected skipSeq(): number {
    return ++this.last;
  }

  /** Drops the history but keeps counting, so a reader polling with `after` sees only new events. */
  clear(): void {
    this.events.clear();
  }
}

/** Events are compared byte for byte across transports, so `undefined` fields must not exist at all. */
function stripUndefined(data: EventData): EventData {
  const keys = Object.keys(data);
  // Usually nothing is undefined: a spread copy then keeps the literal's layout (properties in the object, where
  // adding them one by one to {} moves a fifth one out to a separate array; a fleet keeps these by the thousand).
  if (!keys.some((key) => data[key] === undefined)) return { ...data };
  const out: EventData = {};
  for (const key of keys) {
    const value = data[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
