import type { Keys } from "./auth.ts";

/**
 * The server's settings from the environment (PROTOCOL.md "Roles and authentication"). Pure: the key
 * generator is passed in, so tests need no randomness and `main.ts` can use a secure one.
 */
export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly keys: Keys;
  /** Which keys were generated here and must be printed once. */
  readonly generated: readonly ("admin" | "support" | "lenders")[];
  readonly clock: "real" | "manual";
  readonly timeZone: string;
  readonly seed?: string;
  /** Host names besides loopback and HOST the studio answers to (HEARTLOCK_ALLOWED_HOSTS, comma-separated; "*" any). */
  readonly allowedHosts: readonly string[];
  /** Journal retention: the last N events kept in memory (HEARTLOCK_JOURNAL_KEEP, default 100,000). */
  readonly journalKeep: number;
  /** HEARTLOCK_SERVER_KEY: base64url of the 32-byte Ed25519 seed of the pinned server key. */
  readonly serverKeySeed?: Uint8Array;
}

export const DEFAULT_JOURNAL_KEEP = 100_000;

export class InvalidSetting extends Error {
  constructor(name: string, problem: string) {
    super(`${name}: ${problem}`);
    this.name = "InvalidSetting";
  }
}

export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>, newKey: () => string): ServerSettings {
  const generated: ServerSettings["generated"][number][] = [];
  const key = (value: string | undefined, which: "admin" | "support"): string => {
    if (value) return value;
    generated.push(which);
    return newKey();
  };
  const admin = key(env.HEARTLOCK_ADMIN_KEY, "admin");
  const support = key(env.HEARTLOCK_SUPPORT_KEY, "support");
  let lenders: Record<string, string>;
  if (env.HEARTLOCK_LENDER_KEYS) {
    lenders = parseLenderKeys(env.HEARTLOCK_LENDER_KEYS);
  } else {
    lenders = { "lender-a": newKey() };
    generated.push("lenders");
  }
  const all = [admin, support, ...Object.values(lenders)];
  if (new Set(all).size !== all.length) throw new InvalidSetting("keys", "every key must be different, or a token would have two roles");

  const port = env.PORT === undefined || env.PORT === "" ? 8787 : /^\d{1,5}$/.test(env.PORT) ? Number(env.PORT) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidSetting("PORT", `"${env.PORT}" is not a port number (0 picks a free one)`);
  const clock = env.HEARTLOCK_CLOCK || "real";
  if (clock !== "real" && clock !== "manual") throw new InvalidSetting("HEARTLOCK_CLOCK", `use "manual" or leave it unset, not "${clock}"`);

  const keep = env.HEARTLOCK_JOURNAL_KEEP ? (/^\d{1,9}$/.test(env.HEARTLOCK_JOURNAL_KEEP) ? Number(env.HEARTLOCK_JOURNAL_KEEP) : NaN) : DEFAULT_JOURNAL_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new InvalidSetting("HEARTLOCK_JOURNAL_KEEP", `"${env.HEARTLOCK_JOURNAL_KEEP}" is not a whole number of events >= 1`);

  let serverKeySeed: Uint8Array | undefined;
  if (env.HEARTLOCK_SERVER_KEY) {
    const bytes = /^[A-Za-z0-9_-]{43}$/.test(env.HEARTLOCK_SERVER_KEY) ? Uint8Array.from(atob(env.HEARTLOCK_SERVER_KEY.replace(/-/g, "+").replace(/_/g, "/") + "="), (ch) => ch.charCodeAt(0)) : undefined;
    if (!bytes || bytes.length !== 32) throw new InvalidSetting("HEARTLOCK_SERVER_KEY", "must be base64url of 32 random bytes (43 characters)");
    serverKeySeed = bytes;
  }

  return {
    ...(serverKeySeed ? { serverKeySeed } : {}),
    journalKeep: keep,
    host: env.HOST || "127.0.0.1",
    port,
    keys: { admin, support, lenders },
    generated,
    clock,
    timeZone: env.HEARTLOCK_TIME_ZONE || "UTC",
    allowedHosts: (env.HEARTLOCK_ALLOWED_HOSTS ?? "").split(",").map((host) => host.trim()).filter(Boolean),
    ...(env.HEARTLOCK_SEED ? { seed: env.HEARTLOCK_SEED } : {}),
  };
}

/** `lenderId:key,lenderId:key` */
export function parseLenderKeys(text: string): Record<string, string> {
  // No prototype, so lender ids such as "constructor" are ordinary keys.
  const lenders: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf(":");
    const lenderId = pair.slice(0, at).trim();
    const key = pair.slice(at + 1).trim();
    if (at <= 0 || !key || !/^[A-Za-z0-9._:-]{1,64}$/.test(lenderId)) {
      throw new InvalidSetting("HEARTLOCK_LENDER_KEYS", `"${pair}" is not lenderId:key`);
    }
    if (Object.hasOwn(lenders, lenderId)) throw new InvalidSetting("HEARTLOCK_LENDER_KEYS", `lender ${lenderId} appears twice`);
    lenders[lenderId] = key;
  }
  if (Object.keys(lenders).length === 0) throw new InvalidSetting("HEARTLOCK_LENDER_KEYS", "names no lender");
  return lenders;
}
