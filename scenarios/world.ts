import { BusinessCalendar } from "../core/calendar.ts";
import type { ControllableClock, Millis } from "../core/clock.ts";
import { parseDuration } from "../core/duration.ts";
import { FleetJournal, type FleetJournalOptions } from "../core/fleet-journal.ts";
import { Journal, type JournalEvent } from "../core/journal.ts";
import { SeededRandom } from "../core/seeded-random.ts";
import { VirtualClock } from "../core/virtual-clock.ts";
import { DeviceAgent } from "../device-sim/agent.ts";
import type { LockScreen } from "../device-sim/lock-screen.ts";
import { HeartlockClient } from "../device-sim/transports/typed-client.ts";
import { defaultConfig, type ServiceConfig } from "../mock-server/config.ts";
import { createLockService, testKeys } from "../mock-server/create.ts";
import type { Keys } from "../mock-server/auth.ts";
import type { LockService } from "../mock-server/service.ts";
import { imeiFrom } from "../protocol/imei.ts";
import type { Contact, Policy } from "../protocol/values.ts";
import { connect, type TransportKind, type WorldTransport } from "./world-transport.ts";

export interface WorldOptions {
  readonly seed?: number | string;
  /** ISO time, or local wall time in `timeZone` ("2026-03-06T18:00"); default Monday 2026-03-02 09:00 UTC. */
  readonly start?: string;
  readonly timeZone?: string;
  readonly holidays?: readonly string[];
  readonly policy?: Partial<Policy>;
  /** Sync delay bounds in business time, as ISO durations ("PT1H", "PT16H"). */
  readonly syncDelay?: { readonly min?: string; readonly max?: string };
  readonly transport?: TransportKind;
  /** The lenders on stage; each gets the key `<lenderId>-key` unless `keys` names one. Default: lender-a and lender-b. */
  readonly lenders?: readonly string[];
  /** Keys to use instead of the well-known test keys (the studio passes the server's); lenders not in it get `<id>-key`. */
  readonly keys?: Keys;
  /**
   * How the service and the phones see the world's clock. By default they share the VirtualClock the world
   * drives; the studio wraps it so that the facilitator API (speed, advance) reaches its pacing.
   */
  readonly steer?: (clock: VirtualClock, journal: Journal) => ControllableClock;
  /** Fleet journal mode: routine heartbeats are folded into counters (see core/fleet-journal.ts). */
  readonly fleet?: FleetJournalOptions;
}

export interface DeviceSpec {
  readonly accountId: string;
  readonly lenderId?: string;
  /** Defaults to the next test IMEI of this world. */
  readonly imei?: string;
  readonly model?: string;
  readonly lockMessage?: string;
  readonly contact?: Contact;
  /** False registers nothing: the phone checks in, hears "stop" and runs unmanaged. */
  readonly financed?: boolean;
  /** False: the lender registers it later (`registerDevice`); a phone switched on before that runs unmanaged. */
  readonly register?: boolean;
  /** False: the phone stays off until `agent.powerOn()`. */
  readonly poweredOn?: boolean;
  /** False: the phone starts without a network. */
  readonly online?: boolean;
}

/**
 * A whole simulated world on a virtual clock: one lock service, lenders, support, a facilitator and any
 * number of phones. Scenarios and tests script it; the same seed gives the same journal, event for event,
 * through every transport.
 */
export class World {
  readonly devices = new Map<string, DeviceAgent>();
  private imeiCounter = 0;

  private constructor(
    readonly clock: VirtualClock,
    readonly journal: Journal,
    readonly calendar: BusinessCalendar,
    readonly service: LockService,
    private readonly random: SeededRandom,
    private readonly wire: WorldTransport,
    readonly keys: Keys,
    /** What the service and phones were given: the clock itself, or the studio's steering of it. */
    private readonly actorClock: ControllableClock,
  ) {}

  static async create(options: WorldOptions = {}): Promise<World> {
    const calendar = new BusinessCalendar({ timeZone: options.timeZone ?? "UTC", holidays: [...(options.holidays ?? [])] });
    const start = options.start === undefined ? Date.parse("2026-03-02T09:00:00.000Z") : parseStart(options.start, calendar);
    const clock = new VirtualClock(start);
    const now = () => clock.now();
    const journal = options.fleet ? new FleetJournal(now, options.fleet) : new Journal(now);
    const random = new SeededRandom(options.seed ?? 1);
    const config: Partial<ServiceConfig> = {
      policy: { ...defaultConfig.policy, ...options.policy },
      syncDelay: {
        min: options.syncDelay?.min ? parseDuration(options.syncDelay.min) : defaultConfig.syncDelay.min,
        max: options.syncDelay?.max ? parseDuration(options.syncDelay.max) : defaultConfig.syncDelay.max,
      },
    };
    const base = options.keys ?? testKeys;
    const keys: Keys = {
      ...base,
      lenders: options.lenders ? Object.fromEntries(options.lenders.map((id) => [id, base.lenders[id] ?? `${id}-key`])) : base.lenders,
    };
    const actorClock = options.steer?.(clock, journal) ?? clock;
    const service = createLockService({ clock: actorClock, journal, calendar, random: random.fork("lock-service"), keys, config });
    const wire = await connect(options.transport ?? "direct", service);
    return new World(clock, journal, calendar, service, random, wire, keys, actorClock);
  }

  /** The base URL of the real loopback server, for `http` and `fetch` worlds. */
  get url(): string | undefined {
    return this.wire.url;
  }

  /** A typed client with the lender's key; the first lender on stage by default. */
  lender(lenderId?: string): HeartlockClient {
    const id = lenderId ?? Object.keys(this.keys.lenders)[0] ?? "";
    const key = this.keys.lenders[id];
    if (!key) throw new Error(`unknown lender ${id}; this world knows ${Object.keys(this.keys.lenders).join(", ")}`);
    return new HeartlockClient(this.wire.transport, key);
  }

  get support(): HeartlockClient {
    return new HeartlockClient(this.wire.transport, this.keys.support);
  }

  get facilitator(): HeartlockClient {
    return new HeartlockClient(this.wire.transport, this.keys.admin);
  }

  now(): Millis {
    return this.clock.now();
  }

  /** Registers a phone with its lender (unless `financed: false`) and switches it on; it checks in at boot. */
  async addDevice(spec: DeviceSpec): Promise<DeviceAgent> {
    const imei = spec.imei ?? this.nextImei();
    if (spec.financed !== false && spec.register !== false) await this.registerDevice({ ...spec, imei });
    const agent = new DeviceAgent({
      imei,
      model: spec.model,
      clock: this.actorClock,
      transport: this.wire.transport,
      journal: this.journal,
      random: this.random.fork(`device:${imei}`),
    });
    this.devices.set(imei, agent);
    if (spec.online === false) await agent.setOnline(false);
    if (spec.poweredOn !== false) await agent.powerOn();
    return agent;
  }

  /** The lender registers the phone's IMEI under the account (for phones added with `register: false`). */
  async registerDevice(spec: DeviceSpec & { readonly imei: string }): Promise<void> {
    await this.lender(spec.lenderId).call("registerDevice", {
      body: {
        imei: spec.imei,
        accountId: spec.accountId,
        ...(spec.model ? { model: spec.model } : {}),
        ...(spec.lockMessage ? { lockMessage: spec.lockMessage } : {}),
        contact: spec.contact ?? { phone: "+4930123456", email: "help@lender.example" },
      },
    });
  }

  device(imei: string): DeviceAgent {
    const agent = this.devices.get(imei);
    if (!agent) throw new Error(`no device with IMEI ${imei} in this world`);
    return agent;
  }

  screen(agent: DeviceAgent): LockScreen {
    return agent.screen({ timeZone: this.calendar.timeZone });
  }

  /** Schedules an action at an absolute time (ISO, or local wall time in the world's zone). */
  at(time: string | Millis, action: () => unknown, label = "scenario step"): void {
    const at = typeof time === "number" ? time : parseStart(time, this.calendar);
    this.clock.schedule(at, async () => void (await action()), label);
  }

  /** Runs everything due up to `time` (ISO or local wall time), in time order. */
  async runUntil(time: string | Millis): Promise<void> {
    await this.clock.advanceTo(typeof time === "number" ? time : parseStart(time, this.calendar));
  }

  /** Runs everything due in the next `duration` ("PT6H", "P30D"). */
  async runFor(duration: string): Promise<void> {
    await this.clock.advanceBy(parseDuration(duration));
  }

  events(filter: { type?: string; actor?: string; after?: number } = {}): JournalEvent[] {
    return this.journal
      .after(filter.after ?? 0)
      .filter((event) => (filter.type === undefined || event.type === filter.type) && (filter.actor === undefined || event.actor === filter.actor));
  }

  /** Switches every phone off and closes the transport (and the loopback server, if any). */
  async close(): Promise<void> {
    for (const agent of this.devices.values()) agent.shutdown();
    await this.wire.close();
  }

  private nextImei(): string {
    this.imeiCounter += 1;
    return imeiFrom(`35${String(this.imeiCounter).padStart(12, "0")}`);
  }
}

function parseStart(text: string, calendar: BusinessCalendar): Millis {
  // Zoned ISO ("…Z", "…+01:00") is absolute; a bare wall time is read in the world's zone.
  return /[zZ]|[+-]\d\d:\d\d$/.test(text) ? Date.parse(text) : calendar.localTime(text);
}

