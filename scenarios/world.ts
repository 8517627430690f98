import { BusinessCalendar } from "../core/calendar.ts";
import type { ControllableClock, Millis } from "../core/clock.ts";
import { parseDuration } from "../core/duration.ts";
import { FleetJournal, type FleetJournalOptions } from "../core/fleet-journal.ts";
import { Journal, type JournalEvent, type JournalOptions } from "../core/journal.ts";
import type { CredentialSource } from "../mock-server/credentials.ts";
import { serverKeyPair, type ServerKeyPair } from "../protocol/server-key.ts";
import { SeededRandom } from "../core/seeded-random.ts";
import { VirtualClock } from "../core/virtual-clock.ts";
import { DeviceAgent } from "../device-sim/agent.ts";
import type { LockScreen } from "../device-sim/lock-screen.ts";
import { recordingTransport, type SentRequest } from "../device-sim/transports/recording.ts";
import { HeartlockClient } from "../device-sim/transports/typed-client.ts";
import { defaultConfig, type ServiceConfig } from "../mock-server/config.ts";
import { createLockService, testKeys } from "../mock-server/create.ts";
import type { Keys } from "../mock-server/auth.ts";
import type { LockService } from "../mock-server/service.ts";
import { imeiFrom } from "../protocol/imei.ts";
import type { Contact, Policy } from "../protocol/values.ts";
import { connect, type TransportKind, type WorldTransport } from "./world-transport.ts";
import { copyFor } from "../copy/library.ts";
import type { LenderFacts } from "../copy/facts.ts";

export interface WorldOptions {
  readonly seed?: number | string;
  /** ISO time, or local wall time in `timeZone` ("2026-03-06T18:00"); default Monday 2026-03-02 09:00 UTC. */
  readonly start?: string;
  readonly timeZone?: string;
  /** Lenders whose business days follow their own time zone (with the same holidays), by lender id. */
  readonly lenderTimeZones?: Readonly<Record<string, string>>;
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
  /** Retention of the world's journal (a long-running server keeps the last N events). Default: everything. */
  readonly journal?: JournalOptions;
  /** Where the service draws tokens, secrets and codes: the seed by default; a CSPRNG in `heartlock serve`. */
  readonly credentials?: CredentialSource;
  /** The key of a lender `keys` does not name: the well-known `<id>-key` by default (fine for tests and loopback). */
  readonly lenderKey?: (lenderId: string) => string;
  /**
   * The lock service's Ed25519 key, pinned on every phone: `true` draws it from the seed (so a run stays the same
   * for a seed); `serve` passes one from a CSPRNG or HEARTLOCK_SERVER_KEY. Unset runs without one (PROTOCOL.md's
   * HMAC only): an Ed25519 signature and check per heartbeat cost about 20 times the HMAC, which a fleet of
   * thousands of phones over a month should not pay unless the story is about the key.
   */
  readonly serverKey?: ServerKeyPair | boolean;
  /** Fleet journal mode: routine heartbeats are folded into counters (see core/fleet-journal.ts). */
  readonly fleet?: FleetJournalOptions;
  /**
   * Another lock service to play against instead of this world's own (`heartlock run --target`): the wire to
   * it, given the world's clock. The local service is then never called; the phones and actors reach the target.
   */
  readonly remote?: (clock: VirtualClock) => Promise<WorldTransport>;
  /** Keep every request the phones send (headers and body) in `World.requests`, for a scenario's `request:` checks. */
  readonly recordRequests?: boolean;
}

export interface DeviceSpec {
  readonly accountId: string;
  readonly lenderId?: string;
  /** Defaults to the next test IMEI of this world. */
  readonly imei?: string;
  readonly model?: string;
  /** One text, or one per locale: the service gets the lender's locale's (or the first), the phone keeps all. */
  readonly lockMessage?: string | Readonly<Record<string, string>>;
  readonly contact?: Contact;
  /** The phone's locale (a copy deck in copy/); English by default. */
  readonly locale?: string;
  /** The lender's name and default locale, as the phone's lock screens name them. */
  readonly lenderName?: string;
  readonly lenderLocale?: string;
  /** False registers nothing: the phone checks in, hears "stop" and runs unmanaged. */
  readonly financed?: boolean;
  /** False: the lender registers it later (`registerDevice`); a phone switched on before that runs unmanaged. */
  readonly register?: boolean;
  /** False: the phone stays off until `agent.powerOn()`. */
  readonly poweredOn?: boolean;
  /** False: the phone starts without a network. */
  readonly online?: boolean;
}

const DEFAULT_CONTACT: Contact = { phone: "+4930123456", email: "help@lender.example" };

/** What a phone is provisioned with about its lender, as a real lock agent is branded for one. */
interface PhoneProfile {
  readonly locale?: string;
  readonly lender: LenderFacts;
}

/** The profile of a phone that names no lender details: one object for every such phone of a fleet. */
const DEFAULT_PROFILE: PhoneProfile = Object.freeze({ lender: Object.freeze({ contact: DEFAULT_CONTACT, locale: "en" }) });

function profileOf(spec: DeviceSpec): PhoneProfile {
  if (spec.locale === undefined && spec.lenderName === undefined && spec.lockMessage === undefined && spec.contact === undefined && spec.lenderLocale === undefined) {
    return DEFAULT_PROFILE;
  }
  const lenderLocale = spec.lenderLocale ?? "en";
  const lockMessages = spec.lockMessage === undefined ? undefined : typeof spec.lockMessage === "string" ? { [lenderLocale]: spec.lockMessage } : spec.lockMessage;
  return {
    ...(spec.locale !== undefined ? { locale: spec.locale } : {}),
    lender: {
      ...(spec.lenderName !== undefined ? { name: spec.lenderName } : {}),
      contact: spec.contact ?? DEFAULT_CONTACT,
      ...(lockMessages ? { lockMessages } : {}),
      locale: lenderLocale,
    },
  };
}

/** The one lock message the lock service stores: the lender's locale's, else the first given. */
function serviceMessage(spec: DeviceSpec): string | undefined {
  const message = spec.lockMessage;
  if (message === undefined || typeof message === "string") return message || undefined;
  return message[spec.lenderLocale ?? "en"] ?? Object.values(message)[0];
}

/**
 * A whole simulated world on a virtual clock: one lock service, lenders, support, a facilitator and any
 * number of phones. Scenarios and tests script it; the same seed gives the same journal, event for event,
 * through every transport.
 */
export class World {
  readonly devices = new Map<string, DeviceAgent>();
  private readonly profiles = new WeakMap<DeviceAgent, PhoneProfile>();
  /** What the phones sent, oldest first; kept only with `recordRequests` (a fleet's heartbeats would fill memory). */
  readonly requests: SentRequest[] = [];
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
    /** True when the actors reach another implementation (`--target`), not `service`. */
    readonly remote = false,
    private readonly recordRequests = false,
  ) {}

  static async create(options: WorldOptions = {}): Promise<World> {
    const calendar = new BusinessCalendar({ timeZone: options.timeZone ?? "UTC", holidays: [...(options.holidays ?? [])] });
    const start = options.start === undefined ? Date.parse("2026-03-02T09:00:00.000Z") : parseStart(options.start, calendar);
    const clock = new VirtualClock(start);
    const now = () => clock.now();
    const journal = options.fleet ? new FleetJournal(now, options.fleet) : new Journal(now, options.journal);
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
      lenders: options.lenders ? Object.fromEntries(options.lenders.map((id) => [id, base.lenders[id] ?? options.lenderKey?.(id) ?? `${id}-key`])) : base.lenders,
    };
    const actorClock = options.steer?.(clock, journal) ?? clock;
    const serverKey = options.serverKey === true ? seededServerKey(random) : options.serverKey || undefined;
    const lenderCalendars = new Map(Object.entries(options.lenderTimeZones ?? {}).map(([id, timeZone]) => [id, new BusinessCalendar({ timeZone, holidays: [...(options.holidays ?? [])] })]));
    const service = createLockService({ clock: actorClock, journal, calendar, lenderCalendars, random: random.fork("lock-service"), keys, config, ...(options.credentials ? { credentials: options.credentials } : {}), ...(serverKey ? { serverKey } : {}) });
    const wire = options.remote ? await options.remote(clock) : await connect(options.transport ?? "direct", service);
    return new World(clock, journal, calendar, service, random, wire, keys, actorClock, options.remote !== undefined, options.recordRequests === true);
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
      transport: this.recordRequests ? recordingTransport(this.wire.transport, imei, () => this.clock.now(), (sent) => this.requests.push(sent)) : this.wire.transport,
      journal: this.journal,
      random: this.random.fork(`device:${imei}`),
      ...(this.service.state.serverKey ? { serverKey: this.service.state.serverKey.publicKey } : {}),
    });
    // A second phone under one IMEI replaces the first in `devices`; the first keeps its profile (see profileFor).
    const replaced = this.devices.get(imei);
    if (replaced !== undefined && !this.profiles.has(replaced)) this.profiles.set(replaced, DEFAULT_PROFILE);
    this.devices.set(imei, agent);
    const profile = profileOf(spec);
    // Most fleet phones name no lender details and share DEFAULT_PROFILE: only the others take an entry (see profileFor).
    if (profile !== DEFAULT_PROFILE) this.profiles.set(agent, profile);
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
        ...(serviceMessage(spec) ? { lockMessage: serviceMessage(spec) } : {}),
        contact: spec.contact ?? DEFAULT_CONTACT,
      },
    });
  }

  device(imei: string): DeviceAgent {
    const agent = this.devices.get(imei);
    if (!agent) throw new Error(`no device with IMEI ${imei} in this world`);
    return agent;
  }

  /** The phone's screen in its own locale (or `locale`), dates in the world's time zone. */
  screen(agent: DeviceAgent, locale?: string): LockScreen {
    const profile = this.profileFor(agent);
    return agent.screen({ timeZone: this.calendar.timeZone, copy: copyFor(locale ?? profile?.locale), lender: profile?.lender ?? {} });
  }

  /** The locale a phone was given (absent: English). */
  localeOf(agent: DeviceAgent): string | undefined {
    return this.profileFor(agent)?.locale;
  }

  /** What addDevice was told about the phone: its own profile, DEFAULT_PROFILE for one that named nothing. */
  private profileFor(agent: DeviceAgent): PhoneProfile | undefined {
    return this.profiles.get(agent) ?? (this.devices.get(agent.imei) === agent ? DEFAULT_PROFILE : undefined);
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


/** The run's server key from its seed: the same seed, the same key and the same signatures (Ed25519 is deterministic). */
function seededServerKey(random: SeededRandom): ServerKeyPair {
  const draw = random.fork("server-key");
  return serverKeyPair(Uint8Array.from({ length: 32 }, () => draw.int(0, 255)));
}
