import { eventSpec } from "../catalogue/events.ts";
import type { ScenarioPlan } from "../format/plan.ts";
import type { Expectation } from "../format/schema.ts";

/**
 * What a run against another implementation of PROTOCOL.md (`heartlock run --target`) can judge. The phones
 * and the owners run here, so what they write and show is judged here; the lock service is the target, so its
 * side is read through PROTOCOL.md's API or not at all. Everything else is skipped, with the reason, never
 * counted as passed.
 */

/** Steps that change Heartlock's own mock, with why a target cannot be asked the same. */
const MOCK_STEPS: Readonly<Record<string, string>> = {
  "sync.delay": "it sets the sync delay of Heartlock's mock; PROTOCOL.md offers no way to set a target's",
  "sync.fail": "it injects a sync fault into Heartlock's mock; PROTOCOL.md names fault kinds, not what each does, so a target's would tell another story",
  "facilitator.fault": "it injects a fault into Heartlock's mock; PROTOCOL.md names fault kinds, not what each does, so a target's would tell another story",
  "facilitator.clear_faults": "it clears the faults of Heartlock's mock (see facilitator.fault)",
};

/** Why this scenario cannot be played against a target at all (its story needs Heartlock's mock), or undefined. */
export function mockOnlyReason(plan: ScenarioPlan): string | undefined {
  const { scenario } = plan;
  if (scenario.policy !== undefined) return "it sets a policy (heartbeat and offline intervals) on Heartlock's mock; a target answers with its own, and PROTOCOL.md offers no way to set it";
  if (scenario.sync?.delay !== undefined) return "it sets the sync delay of Heartlock's mock; a target syncs after its own, and PROTOCOL.md offers no way to set it";
  if ((scenario.holidays ?? []).length > 0) return "its holidays delay Heartlock's mock's sync; a target keeps its own business calendar";
  for (const planned of plan.steps) {
    const name = (planned.step as { do?: string }).do;
    const why = name === undefined ? undefined : MOCK_STEPS[name];
    if (why !== undefined) return `step ${planned.index + 1}${planned.line !== undefined ? ` (line ${planned.line})` : ""} is ${name}: ${why}`;
  }
  return undefined;
}

/** True for event types the simulated phones and owners write here; the rest are written by the lock service. */
export function writtenHere(type: string): boolean {
  const spec = eventSpec(type);
  if (spec === undefined) return false;
  return spec.actors.every((actor) => actor === "device" || actor === "owner") && (type.startsWith("device.") || type.startsWith("owner."));
}

/** Why an expectation cannot be judged against a target (it reads Heartlock's mock's journal), or undefined. */
export function skipReason(expectation: Expectation): string | undefined {
  if (!("event" in expectation)) return undefined;
  const serverSide = [expectation.event, expectation.before, expectation.after].find((type) => type !== undefined && !writtenHere(type));
  if (serverSide === undefined) return undefined;
  return `${serverSide} is an event of Heartlock's lock service; PROTOCOL.md does not name a target's events`;
}
