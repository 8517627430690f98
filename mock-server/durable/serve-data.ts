import { randomBytes } from "node:crypto";
import { closeOnSignals, notLoopbackWarning } from "../serve-process.ts";
import { iso } from "../../core/clock.ts";
import type { ServerSettings } from "../env-config.ts";
import { startDurable } from "./serve-durable.ts";
import { SqliteUnavailable } from "./sqlite.ts";

/** `heartlock serve --data DIR`: starts the durable lock service and prints its banner (one line and exit 2 on Node 20). */
export async function serveData(dir: string, settings: ServerSettings): Promise<void> {
  let running: Awaited<ReturnType<typeof startDurable>>;
  try {
    running = await startDurable(dir, settings, () => new Uint8Array(randomBytes(32)));
  } catch (error) {
    if (error instanceof SqliteUnavailable) {
      console.error(`heartlock: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const { server, service, keys } = running;
  const lines = [
    `Heartlock mock lock service — a simulation; nothing real is ever locked.`,
    `  data      ${dir} (SQLite, WAL) — ${running.resumed ? `resumed: ${service.state.store.deviceCount()} devices, seq ${service.state.journal.lastSeq}` : "new"}`,
    `  URL       ${server.url}   (the lock service alone: no studio with --data)`,
    `  API docs  ${server.url}/docs`,
    `  server key  Ed25519 ${running.serverPublicKey}`,
    `  clock     ${service.state.clock.speed() === 0 ? "paused" : `speed ${service.state.clock.speed()}`}, now ${iso(service.state.now())}`,
    `  keys (kept in the data directory when generated):`,
    `    admin    ${keys.admin}`,
    `    support  ${keys.support}`,
    ...Object.entries(keys.lenders).map(([lenderId, key]) => `    lender   ${lenderId}:${key}`),
  ];
  const warning = notLoopbackWarning(settings.host);
  if (warning !== undefined) lines.push(warning);
  console.log(lines.join("\n"));
  closeOnSignals(() => running.close());
}
