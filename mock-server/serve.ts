import { randomBytes } from "node:crypto";
import { BusinessCalendar, InvalidCalendar } from "../core/calendar.ts";
import { iso } from "../core/clock.ts";
import { systemWall } from "../core/wall-clock.ts";
import { InvalidSetting, settingsFromEnv, type ServerSettings } from "./env-config.ts";
import { startStudio } from "../studio/start.ts";

/**
 * `npm start`: the mock lock service on 127.0.0.1 (PORT, HOST and keys from the environment; see README).
 * Real time at speed 1 from now, or a paused clock with HEARTLOCK_CLOCK=manual.
 */
export async function serve(): Promise<void> {
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

  // The free stage opens at the current time (rounded down to the minute by its plan), so lock screens show
  // today's dates; HEARTLOCK_TIME_ZONE moves it to another zone.
  const studio = await startStudio({
    host: settings.host,
    port: settings.port,
    keys: settings.keys,
    seed: settings.seed ?? randomBytes(4).readUInt32BE(0),
    free: { start: systemWall.now(), ...(process.env.HEARTLOCK_TIME_ZONE ? { timeZone: calendar.timeZone } : {}) },
    speed: settings.clock === "manual" ? 0 : 1,
  });
  const server = studio;
  const clock = studio.hub.stage.current.director;

  const lines = [
    `Heartlock mock lock service — a simulation; nothing real is ever locked.`,
    `  studio    ${server.url}/   (open it in a browser: the phone, the lock service and the story side by side)`,
    `  URL       ${server.url}`,
    `  API docs  ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)`,
    `  clock     ${settings.clock === "manual" ? "manual (paused; move it with PATCH /v1/sim/clock or the studio)" : "real time, speed 1"}, now ${iso(clock.now())}`,
  ];
  if (settings.generated.length > 0) {
    lines.push(`  keys generated for this run (set HEARTLOCK_*_KEY(S) to choose your own):`);
    if (settings.generated.includes("admin")) lines.push(`    admin    ${settings.keys.admin}`);
    if (settings.generated.includes("support")) lines.push(`    support  ${settings.keys.support}`);
    if (settings.generated.includes("lenders")) {
      for (const [lenderId, key] of Object.entries(settings.keys.lenders)) lines.push(`    lender   ${lenderId}:${key}`);
    }
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
