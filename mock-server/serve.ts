import { randomBytes } from "node:crypto";
import { BusinessCalendar, InvalidCalendar } from "../core/calendar.ts";
import { iso } from "../core/clock.ts";
import { systemWall } from "../core/wall-clock.ts";
import { InvalidSetting, settingsFromEnv, type ServerSettings } from "./env-config.ts";
import { startStudio } from "../studio/start.ts";
import { secureCredentials } from "./credentials.ts";
import { serverKeyPair } from "../protocol/server-key.ts";

/**
 * `npm start`: the studio and the mock lock service of its stage on 127.0.0.1 (PORT, HOST and keys from the
 * environment; see README). The free stage runs at real time from now, or paused with HEARTLOCK_CLOCK=manual;
 * a scenario given by name opens paused at its start.
 */
export async function serve(options: { readonly scenario?: string; readonly data?: string } = {}): Promise<void> {
  let settings: ServerSettings;
  let calendar: BusinessCalendar;
  try {
    settings = settingsFromEnv(process.env, () => randomBytes(18).toString("base64url"));
    calendar = new BusinessCalendar({ timeZone: settings.timeZone });
  } catch (error) {
    if (error instanceof InvalidSetting || error instanceof InvalidCalendar) {
      console.error(`heartlock: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }

  const data = options.data ?? process.env.HEARTLOCK_DATA;
  if (data) {
    await (await import("./durable/serve-data.ts")).serveData(data, settings);
    return;
  }

  // The pinned Ed25519 key: HEARTLOCK_SERVER_KEY (base64url of a 32-byte seed) keeps it across restarts, so phones
  // provisioned earlier still trust it; otherwise a new one from the CSPRNG.
  const serverKey = serverKeyPair(settings.serverKeySeed ?? new Uint8Array(randomBytes(32)));
  // The free stage opens at the current time (rounded down to the minute by its plan), so lock screens show
  // today's dates; HEARTLOCK_TIME_ZONE moves it to another zone.
  const studio = await startStudio({
    host: settings.host,
    port: settings.port,
    keys: settings.keys,
    seed: settings.seed ?? randomBytes(4).readUInt32BE(0),
    free: { start: systemWall.now(), ...(process.env.HEARTLOCK_TIME_ZONE ? { timeZone: calendar.timeZone } : {}) },
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
      await studio.hub.stage.load(options.scenario);
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
  if (settings.host !== "127.0.0.1" && settings.host !== "localhost" && settings.host !== "::1") {
    lines.push(`  WARNING: listening on ${settings.host}, not loopback. Anyone who can reach it can drive the simulation.`);
  }
  console.log(lines.join("\n"));

  const stop = async () => {
    await studio.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
