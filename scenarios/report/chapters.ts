import type { JournalEvent } from "../../core/journal.ts";
import type { ExpectationResult, ScenarioResult, StepResult } from "../run/result.ts";

/** One step of the timeline with what its action wrote, what happened while waiting for the next, and its checks. */
export interface Chapter {
  readonly step: StepResult;
  /** Events the step's action wrote: seq in (seqBefore, seqAfter]. */
  readonly during: readonly JournalEvent[];
  /** Events after the action, up to the next step's action (heartbeats, syncs, grace ends). */
  readonly after: readonly JournalEvent[];
  readonly expectations: readonly ExpectationResult[];
}

export interface Story {
  /** Events before the first step's action: registration, enrolment, the first heartbeats. */
  readonly prelude: readonly JournalEvent[];
  readonly chapters: readonly Chapter[];
}

/**
 * Cuts the journal at the steps' seq marks, so each event is told exactly once, beside the step it belongs
 * to. Expectations go to their step; one naming no known step goes to the last chapter rather than vanishing.
 */
export function story(result: ScenarioResult): Story {
  const { journal, steps } = result;
  const first = steps[0];
  if (!first) return { prelude: journal, chapters: [] };
  const between = (after: number, upTo: number) => journal.filter((event) => event.seq > after && event.seq <= upTo);
  const known = new Set(steps.map((step) => step.index));
  const last = steps[steps.length - 1]?.index;
  const chapters = steps.map((step, i): Chapter => {
    const next = steps[i + 1];
    return {
      step,
      during: between(step.seqBefore, step.seqAfter),
      after: between(step.seqAfter, next ? next.seqBefore : Number.POSITIVE_INFINITY),
      expectations: result.expectations.filter((e) => e.step === step.index || (step.index === last && !known.has(e.step))),
    };
  });
  return { prelude: journal.filter((event) => event.seq <= first.seqBefore), chapters };
}
