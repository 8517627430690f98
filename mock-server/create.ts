import { BusinessCalendar, type BusinessCalendarOptions } from "../core/calendar.ts";
import type { ControllableClock, Millis } from "../core/clock.ts";
import { Journal } from "../core/journal.ts";
import type { Random } from "../core/random.ts";
import { SeededRandom } from "../core/seeded-random.ts";
import { VirtualClock } from "../core/virtual-clock.ts";
import type { Keys } from "./auth.ts";
import type { CredentialSource } from "./credentials.ts";
import type { ServerKeyPair } from "../protocol/server-key.ts";
import { defaultConfig, type ServiceConfig } from "./config.ts";
import { LockService } from "./service.ts";
import { MemoryStore, type Store } from "./store.ts";

export interface LockServiceOptions {
  /** Defaults to a VirtualClock at `start`. */
  readonly clock?: ControllableClock;
  /** Start of a default VirtualClock; defaults to 2026-03-02T09:00:00Z, a Monday. */
  readonly start?: Millis;
  readonly seed?: number | string;
  readonly random?: Random;
  readonly journal?: Journal;
  readonly calendar?: BusinessCalendar | BusinessCalendarOptions;
  /** Lenders with their own calendar (a time zone of their own), by lender id. */
  readonly lenderCalendars?: ReadonlyMap<string, BusinessCalendar>;
  readonly store?: Store;
  /** Defaults to fixed, well-known test keys (see `testKeys`): fine on loopback, never for anything real. */
  readonly keys?: Keys;
  readonly config?: Partial<ServiceConfig>;
  /** Tokens, secrets and codes: the seeded `random` by default; `secureCredentials` for a server people use. */
  readonly credentials?: CredentialSource;
  /** The pinned Ed25519 server key; without one, answers carry only PROTOCOL.md's HMAC. */
  readonly serverKey?: ServerKeyPair;
}

export const testKeys: Keys = {
  admin: "admin-key",
  support: "support-key",
  lenders: { "lender-a": "lender-a-key", "lender-b": "lender-b-key" },
};

export const DEFAULT_START = Date.parse("2026-03-02T09:00:00.000Z");

/** Builds a lock service with everything injected, so a test or scenario controls time and chance. */
export function createLockService(options: LockServiceOptions = {}): LockService {
  const clock = options.clock ?? new VirtualClock(options.start ?? DEFAULT_START);
  const calendar = options.calendar instanceof BusinessCalendar ? options.calendar : new BusinessCalendar(options.calendar ?? {});
  return new LockService({
    clock,
    journal: options.journal ?? new Journal(() => clock.now()),
    random: options.random ?? new SeededRandom(options.seed ?? 1).fork("lock-service"),
    calendar,
    ...(options.lenderCalendars ? { lenderCalendars: options.lenderCalendars } : {}),
    store: options.store ?? new MemoryStore(),
    keys: options.keys ?? testKeys,
    config: { ...defaultConfig, ...options.config },
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.serverKey ? { serverKey: options.serverKey } : {}),
  });
}
