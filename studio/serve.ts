import { randomBytes } from "node:crypto";
import { closeOnSignals, notLoopbackWarning } from "../mock-server/serve-process.ts";
import { BusinessCalendar, InvalidCalendar } from "../core/calendar.ts";
import { iso } from "../core/clock.ts";
import { systemWall } from "../core/wall-clock.ts";
import { InvalidSetting, settingsFromEnv, type ServerSettings } from "../mock-server/env-config.ts";
import { planFromFile } from "../scenarios/library.ts";
import { startStudio } from "./start.ts";
import { InvalidStart, resolveStart } from "./start-time.ts";

export interface ServeOptions {
  /** A library scenario's name, or a scenario file (a saved run, a QA suite's file): the studio opens on it. */
  readonly scenario?: string;
  /** `--start`: where the free stage opens ("now", a local time, an ISO time); default HEARTLOCK_START, then the fixed Monday. */
  readonly start?: string;
  /** `--data`/HEARTLOCK_DATA: the lock service alone, its world kept durably in this folder (see README "Data and restarts"). */
  readonly data?: string;
}

/** The free stage's own zone, when HEARTLOCK_TIME_ZONE does not move it. */
const FREE_STAGE_ZONE = "Europe/Berlin";
import { secureCredentials } from "../mock-server/credentials.ts";
import { serverKeyPair } from "../protocol/server-key.ts";

/**
 * `npm start`: the studio and the mock lock service of its stage on 127.0.0.1 (PORT, HOST and keys from the
 * environment; see README). The free stage opens at a fixed Monday 09:00 (or `--start`/HEARTLOCK_START) and
 * runs at real time from there, or paused with HEARTLOCK_CLOCK=manual; a scenario given by name or file opens
 * paused at its start.
 */
export async function serve(options: ServeOptions = {}): Promise<void> {
  let settings: ServerSettings;
  let calendar: BusinessCalendar;
  let start: number | undefined;
  try {
    settings = settingsFromEnv(process.env, () => randomBytes(18).toString("base64url"));
    calendar = new BusinessCalendar({ timeZone: settings.timeZone });
    start = resolveStart(options.start ?? process.env.HEARTLOCK_START, process.env.HEARTLOCK_TIME_ZONE ? calendar.timeZone : FREE_STAGE_ZONE, systemWall.now());
  } catch (error) {
    if (error instanceof InvalidSetting || error instanceof InvalidCalendar || error instanceof InvalidStart) {
      console.error(`heartlock: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }

  const data = options.data ?? process.env.HEARTLOCK_DATA;
  if (data) {
    await (await import("../mock-server/durable/serve-data.ts")).serveData(data, settings);
    return;
  }

  // The pinned Ed25519 key: HEARTLOCK_SERVER_KEY (base64url of a 32-byte seed) keeps it across restarts, so phones
  // provisioned earlier still trust it; otherwise a new one from the CSPRNG.
  const serverKey = serverKeyPair(settings.serverKeySeed ?? new Uint8Array(randomBytes(32)));
  // The free stage opens at a fixed Monday 09:00 unless asked for another start ("now": rounded down to the
  // minute by its plan), so a step of the workshop shows the same thing whenever the class meets;
  // HEARTLOCK_TIME_ZONE moves it to another zone.
  const studio = await startStudio({
    host: settings.host,
    port: settings.port,
    keys: settings.keys,
    seed: settings.seed ?? randomBytes(4).readUInt32BE(0),
    free: { ...(start !== undefined ? { start } : {}), ...(process.env.HEARTLOCK_TIME_ZONE ? { timeZone: calendar.timeZone } : {}) },
    speed: settings.clock === "manual" ? 0 : 1,
    allowedHosts: settings.allowedHosts,
    serving: {
      serverKey,
      journal: { keep: settings.journalKeep },
      // Unpredictable whatever the seed: the seed tells the story (delays, jitter), never a secret.
      credentials: secureCredentials,
      // The cast's lenders get well-known `<id>-key` keys only when the server was given no keys at all.
      ...(settings.generated.length < 3 ? { lenderKey: () => randomBytes(18).toString("base64url") } : {}),
    },
  });
  if (options.scenario !== undefined) {
    try {
      // A name the library knows, else a file: a saved run or a QA suite's scenario.
      const { scenario } = options;
      if (isFile(scenario)) await studio.hub.stage.loadPlan(planFromFile(scenario));
      else await studio.hub.stage.load(scenario);
    } catch (error) {
      console.error(`heartlock: ${error instanceof Error ? error.message : String(error)}`);
      await studio.close();
      process.exit(2);
    }
  }
  const show = studio.hub.stage.current;

  const lines = [
    `Heartlock mock lock service — a simulation; nothing real is ever locked.`,
    `  studio    ${studio.openUrl}`,
    `            (open this whole link in a browser: the phone, the lock service and the story side by side; it carries the studio's key)`,
    `  on stage  ${show.run.plan.scenario.title}`,
    `  URL       ${studio.url}`,
    `  API docs  ${studio.url}/docs   (OpenAPI: ${studio.url}/openapi.json)`,
    `  server key  Ed25519 ${serverKey.publicKey}   (pinned on the phones; GET /v1/server-key)`,
    `  clock     ${settings.clock === "manual" ? "manual (paused; move it with PATCH /v1/sim/clock or the studio)" : show.director.playing ? "real time, speed 1" : "paused at the scenario's start (press play in the studio)"}, now ${iso(show.director.now())}`,
  ];
  if (settings.generated.length > 0) {
    lines.push(`  keys generated for this run (set HEARTLOCK_*_KEY(S) to choose your own):`);
    if (settings.generated.includes("admin")) lines.push(`    admin    ${settings.keys.admin}`);
    if (settings.generated.includes("support")) lines.push(`    support  ${settings.keys.support}`);
    if (settings.generated.includes("lenders")) {
      for (const [lenderId, key] of Object.entries(settings.keys.lenders)) lines.push(`    lender   ${lenderId}:${key}`);
    }
  }
  // The cast's lenders the settings did not name: well-known keys (`<id>-key`) as in scenario runs when no key was
  // configured, otherwise generated ones; either way printed here.
  const castKeys = Object.entries(show.run.world.keys.lenders).filter(([lenderId]) => !Object.hasOwn(settings.keys.lenders, lenderId));
  if (castKeys.length > 0) {
    lines.push(`  lenders on stage with ${settings.generated.length < 3 ? "generated" : "well-known"} keys: ${castKeys.map(([lenderId, key]) => `${lenderId}:${key}`).join(", ")}`);
  }
  if (settings.allowedHosts.length > 0) {
    lines.push(`  WARNING: the studio also answers to ${settings.allowedHosts.join(", ")} (HEARTLOCK_ALLOWED_HOSTS): share its link only with the workshop.`);
  }
  const warning = notLoopbackWarning(settings.host);
  if (warning !== undefined) lines.push(warning);
  console.log(lines.join("\n"));

  closeOnSignals(() => studio.close());
}

function isFile(nameOrPath: string): boolean {
  return /\.ya?ml$/i.test(nameOrPath) || nameOrPath.includes("/") || nameOrPath.includes("\\");
}
