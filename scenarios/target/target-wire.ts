import { brief } from "../../conformance/brief.ts";
import { iso, type Clock } from "../../core/clock.ts";
import { TransportError, type LockServiceTransport, type Reply } from "../../device-sim/transports/transport.ts";
import type { Keys } from "../../mock-server/auth.ts";
import type { OperationId, RawRequest } from "../../protocol/operations.ts";
import type { WorldTransport } from "../world-transport.ts";

/** Another implementation of PROTOCOL.md to play scenarios against, and the keys it was given. */
export interface Target {
  /** Its origin, e.g. http://127.0.0.1:8787. */
  readonly url: string;
  readonly keys: Keys;
}

/** The target cannot be used at all (unreachable, refuses its reset or its clock): one line, exit 2. */
export class TargetUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetUnavailable";
  }
}

/**
 * The world's wire to a target: an undici Pool, with the local virtual clock as the source of truth. The
 * target is reset (POST /v1/sim/reset, as `heartlock conformance` does) and paused at the clock's time;
 * before each call its clock is set to the local one (PATCH /v1/sim/clock { set }), so it runs what fell due
 * (grace ends, syncs) before it answers, exactly where the story is. A clock cannot go back: a target whose
 * clock is already past the scenario's start is refused with how to start it earlier.
 */
export async function targetWire(target: Target, clock: Clock): Promise<WorldTransport> {
  // Loaded only when a target is played: undici was ~11 % of the start-up of a `heartlock run` that never needs it
  // (the runner and the CLI import this file for the target option and its error class).
  const { poolTransport } = await import("../../device-sim/transports/pool.ts");
  const pool = poolTransport(new URL(target.url).origin);
  const admin = (id: OperationId, request: RawRequest = {}): Promise<Reply> => pool.call(id, { ...request, token: target.keys.admin });
  try {
    await prepare(target, admin, iso(clock.now()));
  } catch (error) {
    await pool.close?.();
    if (error instanceof TransportError) throw new TargetUnavailable(`${new URL(target.url).origin} cannot be reached: ${error.message}`);
    throw error;
  }
  let shown = clock.now();
  let moving: Promise<void> = Promise.resolve();
  // Calls at one instant share one move; moves happen one at a time, in order (the clock only goes forward).
  const follow = (): Promise<void> => {
    moving = moving.then(async () => {
      const now = clock.now();
      if (now <= shown) return;
      const reply = await admin("patchClock", { body: { set: iso(now) } });
      if (reply.status !== 200) throw new TransportError(`the target did not move its clock to ${iso(now)}: ${reply.status} ${brief(reply.body)}`);
      shown = now;
    });
    const moved = moving;
    moving = moving.catch(() => undefined);
    return moved;
  };
  const transport: LockServiceTransport = {
    name: "target",
    async call(id, request) {
      await follow();
      return pool.call(id, request);
    },
    close: () => pool.close?.() ?? Promise.resolve(),
  };
  return { transport, url: target.url, close: () => transport.close?.() ?? Promise.resolve() };
}

async function prepare(target: Target, admin: (id: OperationId, request?: RawRequest) => Promise<Reply>, start: string): Promise<void> {
  const reset = await admin("reset", { body: {} });
  if (reset.status !== 200) throw new TargetUnavailable(`POST /v1/sim/reset answered ${reset.status} ${brief(reset.body)} (is --keys' admin key the target's?)`);
  const paused = await admin("patchClock", { body: { speed: 0 } });
  if (paused.status !== 200) throw new TargetUnavailable(`PATCH /v1/sim/clock { speed: 0 } answered ${paused.status} ${brief(paused.body)}`);
  const now = String((paused.body as { now?: unknown } | null)?.now);
  if (Date.parse(now) > Date.parse(start)) {
    throw new TargetUnavailable(`the target's clock is at ${now}, past the scenario's start ${start}, and a clock cannot go back: start the target at or before it (heartlock serve: HEARTLOCK_START=${start}) and run scenarios in order of their start`);
  }
  if (Date.parse(now) < Date.parse(start)) {
    const set = await admin("patchClock", { body: { set: start } });
    if (set.status !== 200) throw new TargetUnavailable(`PATCH /v1/sim/clock { set: ${start} } answered ${set.status} ${brief(set.body)}`);
  }
}
