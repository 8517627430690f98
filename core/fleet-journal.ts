import { iso, type Millis } from "./clock.ts";
import { CompactEvents } from "./event-store.ts";
import { doubled } from "./typed-columns.ts";
import { Journal, type Actor, type EventData, type JournalEvent } from "./journal.ts";

/**
 * The journal for fleets. A routine heartbeat (the phone's message, and an answer carrying no command) is
 * folded into counters and a per-device summary instead of being kept, unless the run asked to keep that
 * type (an expectation counts it); every other event is kept in full. Folded events still take their seq,
 * so every kept event has the seq, time and data it would have in a full journal: expectations and reports
 * that read kept events cannot tell the difference. The most recent folded events stay in a bounded ring,
 * for a timeline that wants to show "the fleet is still calling in".
 */
export interface FleetJournalOptions {
  /** Event types kept in full even when routine (the types a scenario's expectations count). */
  readonly keepTypes?: Iterable<string>;
  /** How many folded events the ring keeps; default 200. */
  readonly recent?: number;
}

/** What the fleet journal remembers of one device's folded heartbeats. */
export interface DeviceSummary {
  readonly heartbeats: number;
  /** Simulated time of the last folded heartbeat. */
  readonly lastHeartbeatAt: Millis;
  /** The state the phone reported in it. */
  readonly lastState: string;
}

export class FleetJournal extends Journal {
  private readonly keepTypes: ReadonlySet<string>;
  private readonly ring: (JournalEvent | undefined)[];
  private ringNext = 0;
  /** Folded events by type. */
  readonly folded = new Map<string, number>();
  /**
   * Each device's folded heartbeats, by its place in `deviceIndex`: counts and times in typed columns, the state in
   * a plain array. An object per device (with its boxed time) was ~65 bytes of every idle phone's heap; this is ~24.
   */
  private readonly deviceIndex = new Map<string, number>();
  private heartbeatCounts = new Float64Array(256);
  private lastHeartbeatAts = new Float64Array(256);
  private readonly lastStates: string[] = [];

  constructor(
    private readonly clockNow: () => Millis,
    options: FleetJournalOptions = {},
  ) {
    super(clockNow, {}, new CompactEvents());
    this.keepTypes = new Set(options.keepTypes ?? []);
    this.ring = new Array<JournalEvent | undefined>(Math.max(1, options.recent ?? 200));
  }

  override append(actor: Actor, type: string, data: EventData = {}): JournalEvent {
    if (!isRoutineHeartbeat(type, data) || this.keepTypes.has(type)) return super.append(actor, type, data);
    const seq = this.skipSeq();
    const now = this.clockNow();
    this.folded.set(type, (this.folded.get(type) ?? 0) + 1);
    const deviceId = data["deviceId"];
    if (type === "heartbeat" && typeof deviceId === "string") this.summarise(deviceId, now, typeof data["state"] === "string" ? data["state"] : "unknown");
    // The ring holds what a full journal would have kept. One plain object per folded event: `at` comes from
    // iso()'s memory of the last instants (the service has just formatted this one for its serverTime), which is
    // cheaper than the lazy getter it replaced (a closure per heartbeat).
    const folded: JournalEvent = { seq, at: iso(now), actor, type, data };
    this.ring[this.ringNext] = folded;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    return folded;
  }

  /** What was folded of one device's heartbeats, or undefined when none of them was. */
  summary(deviceId: string): DeviceSummary | undefined {
    const index = this.deviceIndex.get(deviceId);
    if (index === undefined) return undefined;
    return { heartbeats: this.heartbeatCounts[index] as number, lastHeartbeatAt: this.lastHeartbeatAts[index] as number, lastState: this.lastStates[index] as string };
  }

  /** How many devices have folded heartbeats. */
  get summarisedDevices(): number {
    return this.deviceIndex.size;
  }

  private summarise(deviceId: string, at: Millis, state: string): void {
    let index = this.deviceIndex.get(deviceId);
    if (index === undefined) {
      index = this.deviceIndex.size;
      this.deviceIndex.set(deviceId, index);
      if (index === this.heartbeatCounts.length) {
        this.heartbeatCounts = doubled(this.heartbeatCounts);
        this.lastHeartbeatAts = doubled(this.lastHeartbeatAts);
      }
    }
    this.heartbeatCounts[index] = (this.heartbeatCounts[index] as number) + 1;
    this.lastHeartbeatAts[index] = at;
    this.lastStates[index] = state;
  }

  /** How many events of `type` were folded (not kept). */
  foldedCount(type: string): number {
    return this.folded.get(type) ?? 0;
  }

  /** The most recent folded events, oldest first. */
  recentFolded(): JournalEvent[] {
    const out: JournalEvent[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const folded = this.ring[(this.ringNext + i) % this.ring.length];
      if (folded) out.push(folded);
    }
    return out;
  }
}

/** A phone's heartbeat, or an answer to one that carries no command: the fleet's background noise. */
export function isRoutineHeartbeat(type: string, data: EventData): boolean {
  return type === "heartbeat" || (type === "heartbeat.answered" && data["command"] === "none");
}

/** How many events of a type happened, kept or folded: what a full journal would count. */
export function countOf(journal: Journal, type: string): number {
  return journal.keptCount(type) + (journal instanceof FleetJournal ? journal.foldedCount(type) : 0);
}
