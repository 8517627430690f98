import { stringify } from "yaml";
import { iso, type Millis } from "../core/clock.ts";
import { formatDuration } from "../core/duration.ts";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { Step } from "../scenarios/format/schema.ts";
import type { StepResult } from "../scenarios/run/result.ts";

/**
 * A show as a scenario file: the stage it began from (cast, calendar, seed, start) and every step that ran,
 * the script's and the controls', each at the simulated time it ran. `heartlock run` replays it to the same
 * journal, so a facilitator's improvised session becomes a story a QA suite can keep, and the studio rewinds
 * by replaying it up to an event. Pure: it reads the run's record, not the world.
 */
export interface Recording {
  /** The scenario document the show began from, as written (YAML parsed, nothing resolved). */
  readonly document: Readonly<Record<string, unknown>>;
  readonly plan: ScenarioPlan;
  readonly steps: readonly StepResult[];
  readonly seed: number | string;
}

/** Steps as the file writes them: absolute times in UTC, to the millisecond, so nothing is re-resolved. */
type WrittenStep = Record<string, unknown>;

/** The whole run so far, ending (`until`) at `now`: what "Save this run as a scenario" writes. */
export function recordedScenario(recording: Recording, now: Millis): Record<string, unknown> {
  const timeline = writtenSteps(recording, recording.steps);
  return withTimeline(recording, timeline, now, "saved from the studio");
}

/**
 * The run replayed up to event `seq`: the steps that began before it, then the script's steps still to come
 * (at their planned times), so the story can go on from there. Controls pressed after the event are left
 * out: continuing from here is a new branch.
 */
export function rewoundScenario(recording: Recording, seq: number): Record<string, unknown> {
  const before = recording.steps.filter((step) => step.seqBefore < seq);
  const ran = new Set(before.filter((step) => step.index < recording.plan.steps.length).map((step) => step.index));
  const lastAt = Math.max(recording.plan.start, ...before.map((step) => Date.parse(step.at)));
  const rest = recording.plan.steps.filter((planned) => !ran.has(planned.index) && !before.some((step) => step.index === planned.index));
  const timeline = [
    ...writtenSteps(recording, before),
    ...rest.map((planned) => ({ ...withoutTiming(planned.step), at: iso(Math.max(planned.at, lastAt)) })),
  ];
  return withTimeline(recording, timeline, Math.max(recording.plan.end, lastAt), undefined);
}

export function scenarioYaml(document: Record<string, unknown>): string {
  return `# yaml-language-server: $schema=https://heartlock.invalid/scenario.schema.json\n${stringify(document, { lineWidth: 0 })}`;
}

function withTimeline(recording: Recording, timeline: WrittenStep[], until: Millis, note: string | undefined): Record<string, unknown> {
  const { document, plan, seed } = recording;
  const title = typeof document["title"] === "string" ? document["title"] : plan.scenario.title;
  const { timeline: _old, until: _until, ...rest } = document;
  // `until` is a duration after the last step (the file format's rule), so the replay runs as far as the run went.
  const last = Math.max(plan.start, ...timeline.map((step) => (typeof step["at"] === "string" ? Date.parse(step["at"]) : plan.start)));
  return {
    ...rest,
    ...(note !== undefined ? { title: `${title} (${note})` } : {}),
    seed,
    start: plan.calendar.localDateTime(plan.start),
    timeline,
    ...(until > last ? { until: formatDuration(until - last) } : {}),
  };
}

/** One step that ran, as a file step: the script's own (its checks kept) or a control's, at its time. */
function writtenStep(recording: Recording, step: StepResult): WrittenStep {
  const planned = step.index < recording.plan.steps.length ? recording.plan.steps[step.index] : undefined;
  if (planned) return { ...withoutTiming(planned.step), at: step.at };
  const written: WrittenStep = {
    at: step.at,
    ...(step.say !== undefined ? { say: step.say } : {}),
    ...(step.action ? { do: step.action.do, ...step.action.params } : {}),
  };
  // A control the lock service refused is part of the story: replayed, it is expected to be refused again.
  const code = step.error !== undefined ? /^\d{3} ([a-z_]+):/.exec(step.error)?.[1] : undefined;
  if (code !== undefined && Step.safeParse({ ...written, expectError: code }).success) return { ...written, expectError: code };
  return written;
}

/*
 * The owner typing the code support gave is saved as `owner.enter_code` without a code ("the last code support
 * gave"): `serve` draws codes from a CSPRNG, so a replay (heartlock run, or a rewind) is given another code, and the
 * live one written in the file would be refused there. A code that is not the one support gave (a wrong guess)
 * stays as typed, and is refused again.
 */
const GIVEN: Readonly<Record<string, { readonly by: string; readonly code: RegExp }>> = {
  "owner.enter_code": { by: "support.issue_code", code: /: unlock code (\S+),/ },
  "owner.enter_offline_code": { by: "support.offline_code", code: / → offline code (\S+)$/ },
};

/** The steps as the file writes them, in one pass that remembers the last code support gave each phone. */
function writtenSteps(recording: Recording, steps: readonly StepResult[]): WrittenStep[] {
  const given = new Map<string, string>(); // "support.issue_code amara-phone" → the code in its outcome
  return steps.map((step) => {
    const device = step.action?.params["device"];
    // An outcome names its phone first ("amara-phone: unlock code …"): a fleet's step names several.
    const mine = typeof device === "string" && step.outcome?.startsWith(`${device}: `) === true;
    if (step.action && mine && step.error === undefined) {
      for (const rule of Object.values(GIVEN)) {
        const code = rule.by === step.action.do ? rule.code.exec(step.outcome ?? "")?.[1] : undefined;
        if (code !== undefined) given.set(`${rule.by} ${device}`, code);
      }
    }
    return withoutGivenCode(writtenStep(recording, step), given);
  });
}

function withoutGivenCode(written: WrittenStep, given: ReadonlyMap<string, string>): WrittenStep {
  const action = written["do"];
  const rule = typeof action === "string" && Object.hasOwn(GIVEN, action) ? GIVEN[action] : undefined;
  const { device, code } = written;
  if (rule === undefined || typeof device !== "string" || typeof code !== "string") return written;
  const issued = given.get(`${rule.by} ${device}`);
  if (issued === undefined || issued.replace(/\W/g, "").toLowerCase() !== code.replace(/\W/g, "").toLowerCase()) return written;
  const { code: _typed, ...rest } = written;
  return rest;
}

function withoutTiming(step: Step): WrittenStep {
  const { at: _at, after: _after, ...rest } = step as Record<string, unknown>;
  return rest;
}
