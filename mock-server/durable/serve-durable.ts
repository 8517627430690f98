import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BusinessCalendar } from "../../core/calendar.ts";
import { iso } from "../../core/clock.ts";
import { Journal } from "../../core/journal.ts";
import { RealClock } from "../../core/real-clock.ts";
import { SeededRandom } from "../../core/seeded-random.ts";
import { systemWall } from "../../core/wall-clock.ts";
import { serverKeyPair } from "../../protocol/server-key.ts";
import type { Keys } from "../auth.ts";
import { defaultConfig } from "../config.ts";
import { secureCredentials } from "../credentials.ts";
import type { ServerSettings } from "../env-config.ts";
import { createApp } from "../http/app.ts";
import { startServer, type RunningServer } from "../http/node-server.ts";
import { resumeFromRecords } from "../resume.ts";
import { LockService } from "../service.ts";
import { SqliteHistory, SqliteStore, type SavedMeta } from "./durable-store.ts";
import { openSqlite, sqliteAvailable, SqliteUnavailable } from "./sqlite.ts";
import { Hono } from "hono";

export interface DurableServer {
  readonly server: RunningServer;
  readonly service: LockService;
  readonly keys: Keys;
  readonly serverPublicKey: string;
  /** True when the data directory held a world from an earlier run. */
  readonly resumed: boolean;
  close(): Promise<void>;
}

/**
 * `heartlock serve --data DIR`: the lock service (the /v1 API) on a real-time clock, its world kept in
 * DIR/heartlock.sqlite. Records and journal events are written as they change, inside the request; the clock,
 * faults and sync delay after every request that may change them, before its answer leaves. A restart picks up
 * the records, re-arms pending syncs and grace ends, gives tokens back, continues `seq` and the clock.
 */
export async function startDurable(dir: string, settings: ServerSettings, randomSeed: () => Uint8Array): Promise<DurableServer> {
  // Refused before anything is made: a Node without node:sqlite must not leave an empty DIR behind.
  if (!sqliteAvailable()) throw new SqliteUnavailable();
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(join(dir, "heartlock.sqlite"));
  const history = new SqliteHistory(db);
  const store = new SqliteStore(db);
  const saved: SavedMeta = history.meta();
  const resumed = saved.clock !== undefined;

  // Generated keys would change at every start and lock lenders out of their own accounts: keep the first ones.
  const savedKeys = saved.keys as Keys | undefined;
  const keys: Keys = {
    admin: settings.generated.includes("admin") && savedKeys ? savedKeys.admin : settings.keys.admin,
    support: settings.generated.includes("support") && savedKeys ? savedKeys.support : settings.keys.support,
    lenders: settings.generated.includes("lenders") && savedKeys ? savedKeys.lenders : settings.keys.lenders,
  };
  const seedText = settings.serverKeySeed ? undefined : (saved.serverKeySeed ?? Buffer.from(randomSeed()).toString("base64url"));
  const serverKey = serverKeyPair(settings.serverKeySeed ?? new Uint8Array(Buffer.from(seedText ?? "", "base64url")));

  // The clock continues from its saved moment: paused where it stopped, or flowing at its speed as if the
  // server had never gone down (so a sync due during the outage lands at once).
  const wall = systemWall;
  const start = saved.clock ? saved.clock.now + Math.max(0, wall.now() - saved.clock.wallAt) * saved.clock.speed : wall.now();
  const speed = saved.clock ? saved.clock.speed : settings.clock === "manual" ? 0 : 1;
  let service: LockService | undefined;
  const clock = new RealClock({ start: Math.floor(start), speed, wall, onError: (error) => service?.state.log("lock-service", "job.failed", { error: String(error) }) });
  const journal = new Journal(() => clock.now(), { keep: settings.journalKeep });
  const past = history.load(settings.journalKeep);
  journal.resume(past.events, past.lastSeq);
  history.follow(journal, settings.journalKeep);

  service = new LockService({
    clock,
    journal,
    random: new SeededRandom(settings.seed ?? systemWall.now() % 2 ** 32).fork("lock-service"),
    calendar: new BusinessCalendar({ timeZone: settings.timeZone }),
    store,
    keys,
    config: { ...defaultConfig, ...(saved.syncDelay ? { syncDelay: saved.syncDelay } : {}) },
    credentials: secureCredentials,
    serverKey,
  });
  const state = service.state;
  if (saved.faults) state.faults = [...saved.faults];
  if (saved.faultCount !== undefined) state.faultCount = saved.faultCount;
  if (saved.syncDelay) state.syncDelay = saved.syncDelay;
  resumeFromRecords(state, store.accounts(), store.devices());

  const saveMeta = () =>
    history.saveMeta({
      clock: { now: clock.now(), speed: clock.speed(), wallAt: wall.now() },
      faults: state.faults,
      faultCount: state.faultCount,
      syncDelay: state.syncDelay,
      keys,
      ...(seedText ? { serverKeySeed: seedText } : {}),
    });
  saveMeta();
  if (resumed) state.log("lock-service", "server.resumed", { at: iso(clock.now()), lastSeq: past.lastSeq, devices: store.deviceCount() });

  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    // Before the answer leaves: a PATCH of the clock or a fault is on disk once the caller hears "ok".
    if (c.req.method !== "GET" && c.req.method !== "HEAD") saveMeta();
  });
  app.route("/", createApp(service));
  const server = await startServer(app, { host: settings.host, port: settings.port });
  // The clock's own moves (real time passing) are saved now and then, so a paused restart sees a recent moment.
  const ticker = setInterval(saveMeta, 1000);
  ticker.unref();
  return {
    server,
    service,
    keys,
    serverPublicKey: serverKey.publicKey,
    resumed,
    close: async () => {
      clearInterval(ticker);
      await server.close();
      clock.stop();
      saveMeta();
      db.close();
    },
  };
}
