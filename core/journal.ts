import type { Millis } from "./clock.ts";

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

/**
 * The single history of a run. The studio, reports, expectations and replays all read it;
 * nothing keeps a second history.
 */
export class Journal {
  private readonly events: JournalEvent[] = [];
  /** seq of the last event ever appended; survives clear() so `after=<seq>` readers never see a seq twice. */
  private last = 0;
  private readonly listeners = new Set<JournalListener>();

  constructor(private readonly now: () => Millis) {}

  append(actor: Actor, type: string, data: EventData = {}): JournalEvent {
    const event: JournalEvent = {
      seq: ++this.last,
      at: new Date(this.now()).toISOString(),
      actor,
      type,
      data: stripUndefined(data),
    };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events with seq greater than `seq` (all of them for 0). */
  after(seq = 0): readonly JournalEvent[] {
    const first = this.events[0]?.seq ?? this.last + 1;
    return this.events.slice(Math.max(0, seq - first + 1));
  }

  get lastSeq(): number {
    return this.last;
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
    this.events.length = 0;
  }
}

/** Events are compared byte for byte across transports, so `undefined` fields must not exist at all. */
function stripUndefined(data: EventData): EventData {
  const out: EventData = {};
  for (const [key, value] of Object.entries(data)) if (value !== undefined) out[key] = value;
  return out;
}
