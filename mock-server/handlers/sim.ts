import { ClockWentBackwards, iso } from "../../core/clock.ts";
import { formatDuration, parseDuration } from "../../core/duration.ts";
import { EVENTS_PAGE } from "../../protocol/messages/sim.ts";
import { ProblemError } from "../../protocol/problem.ts";
import { liveFaults, type ActiveFault } from "../faults.ts";
import type { Handlers } from "./types.ts";

type SimOps = "getClock" | "patchClock" | "listEvents" | "listFaults" | "addFault" | "clearFaults" | "reset";

/**
 * The most one PATCH /v1/sim/clock may move the clock: a year. Every job on the way runs (about four heartbeats a
 * day per phone), so without a cap one request could freeze the server for minutes; a longer story takes
 * several calls. (Heartlock addition; PROTOCOL.md sets no limit.)
 */
export const MAX_CLOCK_MOVE_MS = 366 * 86_400_000;

const DEFAULT_LATENCY = 1000;
const MAX_LATENCY = 30_000;

export const simHandlers: Handlers<SimOps> = {
  getClock(state) {
    return { now: iso(state.now()), speed: state.clock.speed() };
  },

  async patchClock(state, _caller, { body }) {
    const from = state.now();
    if (body.set !== undefined && Date.parse(body.set) < from) {
      throw new ProblemError(409, "conflict", `The clock cannot go back from ${iso(from)} to ${body.set}.`);
    }
    const target = body.set !== undefined ? Date.parse(body.set) : body.advanceBy !== undefined ? from + parseDuration(body.advanceBy) : from;
    if (target - from > MAX_CLOCK_MOVE_MS) {
      throw new ProblemError(400, "invalid_request", `One call moves the clock at most P366D (asked for ${formatDuration(target - from)}); move it in several calls.`);
    }
    if ((body.advanceBy !== undefined || body.set !== undefined) && state.clock.busy) {
      throw new ProblemError(409, "conflict", "The clock is running the jobs that fell due; try again in a moment.");
    }
    if (body.speed !== undefined && body.speed !== 0 && !state.clock.canRun) {
      throw new ProblemError(409, "conflict", "This clock is virtual: it moves only by advanceBy or set (speed stays 0).");
    }
    try {
      // Pause first and change speed last, so an advance runs its jobs on a still timeline.
      if (body.speed === 0) state.clock.setSpeed(0);
      if (body.advanceBy !== undefined) await state.clock.advanceBy(parseDuration(body.advanceBy));
      if (body.set !== undefined) await state.clock.advanceTo(Date.parse(body.set));
      if (body.speed !== undefined && body.speed !== 0) state.clock.setSpeed(body.speed);
    } catch (error) {
      if (error instanceof ClockWentBackwards) throw new ProblemError(409, "conflict", error.message);
      throw error;
    }
    const view = { now: iso(state.now()), speed: state.clock.speed() };
    state.log("facilitator", "clock.changed", { from: iso(from), to: view.now, speed: view.speed });
    return view;
  },

  listEvents(state, _caller, { query }) {
    // Events are plain JSON by construction (see core/journal.ts), so they go out as they are.
    const page = state.journal.page(query.after ?? 0, query.limit ?? EVENTS_PAGE);
    return {
      events: page.events.map((event) => ({ ...event })),
      ...(page.next !== undefined ? { next: page.next } : {}),
      firstSeq: state.journal.firstSeq,
    };
  },

  listFaults(state) {
    return { faults: liveFaults(state.faults, state.now()).map(faultView) };
  },

  addFault(state, _caller, { body }) {
    // A delay beyond the limit, or on a kind it does nothing for, is refused rather than cut or ignored in silence.
    if (body.delay !== undefined && body.kind !== "latency") throw new ProblemError(400, "invalid_request", `delay is for a latency fault only, not ${body.kind}.`, { errors: [{ path: "delay", message: "only with kind latency" }] });
    const asked = body.delay === undefined ? undefined : parseDuration(body.delay);
    if (asked !== undefined && asked > MAX_LATENCY) throw new ProblemError(400, "invalid_request", `A latency fault delays an answer by at most PT30S, not ${body.delay}.`, { errors: [{ path: "delay", message: "at most PT30S" }] });
    const delayMs = body.kind === "latency" ? (asked ?? DEFAULT_LATENCY) : undefined;
    const fault: ActiveFault = {
      id: `fault-${++state.faultCount}`,
      kind: body.kind,
      target: body.target,
      until: body.until === undefined ? undefined : Date.parse(body.until),
      delayMs,
      ...(body.times !== undefined ? { times: body.times } : {}),
    };
    state.faults = [...state.faults, fault];
    const view = faultView(fault);
    state.log("facilitator", "fault.added", { ...view });
    return view;
  },

  clearFaults(state) {
    const cleared = liveFaults(state.faults, state.now()).length;
    state.faults = [];
    state.log("facilitator", "faults.cleared", { cleared });
    return { cleared };
  },

  reset(state) {
    state.cancelAllJobs();
    state.store.clear();
    state.auth.clearDevices();
    state.faults = [];
    state.journal.clear();
    state.log("facilitator", "sim.reset", {});
    return { ok: true as const };
  },
};

function faultView(fault: ActiveFault) {
  return {
    id: fault.id,
    kind: fault.kind,
    ...(fault.target !== undefined ? { target: fault.target } : {}),
    ...(fault.until !== undefined ? { until: iso(fault.until) } : {}),
    ...(fault.delayMs !== undefined ? { delay: formatDuration(fault.delayMs) } : {}),
    ...(fault.times !== undefined ? { times: fault.times } : {}),
  };
}
