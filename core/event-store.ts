import type { Actor, EventData, JournalEvent, JsonValue } from "./journal.ts";
import { doubled } from "./typed-columns.ts";

/**
 * Where a journal keeps its events, oldest first, with ascending seqs (not always consecutive: a fleet journal
 * folds routine heartbeats and leaves gaps).
 */
export interface EventStore {
  readonly length: number;
  push(event: JournalEvent): void;
  seqAt(index: number): number;
  /** The events in [from, to), as JournalEvent objects. */
  slice(from: number, to?: number): JournalEvent[];
  /** How many kept events are of `type`. */
  countType(type: string): number;
  /** Drops the oldest `count` events (retention). */
  dropOldest(count: number): void;
  clear(): void;
}

/** The plain store: the event objects themselves, handed out as they were appended. */
export class EventList implements EventStore {
  private readonly events: JournalEvent[] = [];

  get length(): number {
    return this.events.length;
  }

  push(event: JournalEvent): void {
    this.events.push(event);
  }

  seqAt(index: number): number {
    return this.events[index]?.seq ?? 0;
  }

  slice(from: number, to?: number): JournalEvent[] {
    return this.events.slice(from, to);
  }

  countType(type: string): number {
    let count = 0;
    for (const event of this.events) if (event.type === type) count += 1;
    return count;
  }

  dropOldest(count: number): void {
    this.events.splice(0, count);
  }

  clear(): void {
    this.events.length = 0;
  }
}

/** An event's actor, type and data keys: what many kept events of a fleet share. */
interface Kind {
  readonly actor: Actor;
  readonly type: string;
  readonly keys: readonly string[];
}

/**
 * The fleet journal's store: its events column by column, and each event's data as its values alone, after the
 * keys its kind shares with every event of the same actor, type and keys. An event comes back as a new
 * JournalEvent equal to the one appended (same fields, same data keys in the same order), built when read.
 *
 * Why: a fleet keeps six enrolment events per phone for the whole run. As objects (the event, its data object and
 * the array's slot) they were ~120 bytes each, a quarter of an idle phone's heap; here one is 16 bytes of typed
 * columns, a pointer to its time's shared string and 8 bytes per data value (~45 bytes for these six).
 * Reading builds the objects again, so a reader that scans the whole journal allocates what the plain store keeps.
 */
export class CompactEvents implements EventStore {
  private seqs = new Float64Array(256);
  private kindOf = new Uint32Array(256);
  private valuesAt = new Uint32Array(256);
  /** Each event's time, at the same index as the typed columns (the strings are shared: see iso()). */
  private readonly ats: string[] = [];
  /** Every event's data values, one after another. */
  private readonly values: JsonValue[] = [];
  private readonly kinds: Kind[] = [];
  /** Kinds by type, to find an event's own among the few each type has. */
  private readonly kindsByType = new Map<string, number[]>();
  /** Events dropped from the front (dropOldest) whose columns are not yet reclaimed. */
  private offset = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(event: JournalEvent): void {
    const index = this.offset + this.count;
    if (index === this.seqs.length) this.grow();
    // Object.keys: the data's own enumerable keys in JSON.stringify's order (a journal's data is a plain copy).
    const keys = Object.keys(event.data);
    this.seqs[index] = event.seq;
    this.kindOf[index] = this.kindFor(event.actor, event.type, keys);
    this.valuesAt[index] = this.values.length;
    this.ats.push(event.at);
    for (const key of keys) this.values.push(event.data[key] as JsonValue);
    this.count += 1;
  }

  seqAt(index: number): number {
    return index < this.count ? (this.seqs[this.offset + index] as number) : 0;
  }

  /** Bounds as Array.prototype.slice reads them (negative from the end, fractions truncated, NaN as 0). */
  slice(from: number, to: number = this.count): JournalEvent[] {
    const start = sliceBound(from, this.count);
    const end = sliceBound(to, this.count);
    const out: JournalEvent[] = [];
    for (let i = start; i < end; i++) out.push(this.event(this.offset + i));
    return out;
  }

  countType(type: string): number {
    const ids = this.kindsByType.get(type);
    if (ids === undefined) return 0;
    let count = 0;
    for (let i = this.offset; i < this.offset + this.count; i++) if (ids.includes(this.kindOf[i] as number)) count += 1;
    return count;
  }

  dropOldest(count: number): void {
    const dropped = Math.max(0, Math.min(count, this.count));
    this.offset += dropped;
    this.count -= dropped;
    // Reclaim the columns once the dropped part outweighs the kept one, so retention stays O(1) per event.
    if (this.offset > this.count) this.compact();
  }

  clear(): void {
    this.offset = 0;
    this.count = 0;
    this.ats.length = 0;
    this.values.length = 0;
  }

  private event(index: number): JournalEvent {
    const kind = this.kinds[this.kindOf[index] as number] as Kind;
    const first = this.valuesAt[index] as number;
    const data: EventData = {};
    const keys = kind.keys;
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j] as string;
      const value = this.values[first + j] as JsonValue;
      // An own "__proto__" key (possible in data built by spreading) must stay a key, not become the prototype.
      if (key === "__proto__") Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
      else data[key] = value;
    }
    return { seq: this.seqs[index] as number, at: this.ats[index] as string, actor: kind.actor, type: kind.type, data };
  }

  private kindFor(actor: Actor, type: string, keys: readonly string[]): number {
    let ids = this.kindsByType.get(type);
    if (ids === undefined) {
      ids = [];
      this.kindsByType.set(type, ids);
    }
    for (const id of ids) {
      const kind = this.kinds[id] as Kind;
      if (kind.actor === actor && sameKeys(kind.keys, keys)) return id;
    }
    const id = this.kinds.length;
    this.kinds.push({ actor, type, keys });
    ids.push(id);
    return id;
  }

  private grow(): void {
    this.seqs = doubled(this.seqs);
    this.kindOf = doubled(this.kindOf);
    this.valuesAt = doubled(this.valuesAt);
  }

  /** Moves the kept events to the front of every column. */
  private compact(): void {
    const from = this.offset;
    const firstValue = this.count === 0 ? this.values.length : (this.valuesAt[from] as number);
    this.seqs.copyWithin(0, from, from + this.count);
    this.kindOf.copyWithin(0, from, from + this.count);
    for (let i = 0; i < this.count; i++) this.valuesAt[i] = (this.valuesAt[from + i] as number) - firstValue;
    this.values.splice(0, firstValue);
    this.ats.splice(0, from);
    this.offset = 0;
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An index as Array.prototype.slice reads it, within [0, length]. */
function sliceBound(value: number, length: number): number {
  const whole = Math.trunc(value) || 0;
  return whole < 0 ? Math.max(0, length + whole) : Math.min(length, whole);
}
