import { DAY, type Millis } from "../core/clock.ts";
import type { JournalEvent } from "../core/journal.ts";
import { isRoutine } from "../scenarios/report/narrate.ts";
import type { ScenarioRun } from "../scenarios/run/runner.ts";
import type { StepRules } from "./director.ts";

/** A quiet week: how far Step looks when no phone is offline and nothing else is coming. */
const QUIET = 7 * DAY;

/**
 * What the studio's "Step to next event" stops at: the next thing worth telling the room. An event that
 * is not bookkeeping (a lock, a sync landing, a grace end, a refusal), a change on a phone's screen (the
 * restart finished, the offline warning, the offline lock), or the moment a restart finishes. An offline
 * phone's failed heartbeat retries are not worth a stop: the room waits for its warning and its lock, so
 * Step looks as far as that lock. Read off the run lazily: the rules exist before the run has opened.
 */
export function studioStepRules(run: () => ScenarioRun | undefined): StepRules {
  const phones = () => [...(run()?.stage.phones.values() ?? [])];
  return {
    notable: (event: JournalEvent) => !isRoutine(event) && event.type !== "device.heartbeat_failed",
    watch: () => {
      const world = run()?.world;
      if (!world) return "";
      return phones()
        .map((phone) => {
          const screen = world.screen(phone);
          return `${screen.kind}/${screen.lockReason ?? ""}/${screen.notice === undefined ? "" : "notice"}`;
        })
        .join(" ");
    },
    nextMoment: (now: Millis) => {
      const ends = phones()
        .map((phone) => phone.snapshot.bootingUntil)
        .filter((at): at is Millis => at !== undefined && at > now);
      return ends.length > 0 ? Math.min(...ends) : undefined;
    },
    limit: (now: Millis) => {
      // An offline phone locks itself once it has gone offlineLockAfter without a valid answer: look that far.
      const locks = phones()
        .map((phone) => phone.snapshot)
        .filter((s) => !s.online && s.lastValidAt !== undefined && s.status !== "locked")
        .map((s) => (s.lastValidAt ?? now) + s.policy.offlineLockAfter + DAY);
      return Math.max(now + QUIET, ...locks);
    },
  };
}
