import type { JournalEvent } from "../../core/journal.ts";
import type { NameBook } from "./names.ts";
import { isRoutine, narrate } from "./narrate.ts";
import { count } from "./time.ts";

/**
 * A run of routine events in one short phrase: "24 routine heartbeats, 1 check-in". A heartbeat is counted
 * by its answer, so the message that led to a lock answer is not called routine. A run with nothing worth
 * counting (an acknowledgement, a command applied) gives undefined: it is simply not mentioned.
 */
export function routinePhrase(events: readonly JournalEvent[]): string | undefined {
  const tally = (type: string) => events.filter((event) => event.type === type && (type !== "heartbeat.answered" || event.data["command"] === "none")).length;
  const parts = [
    [tally("heartbeat.answered"), "routine heartbeat"],
    [tally("checkin"), "check-in"],
    [tally("account.viewed"), "account view"],
    [tally("device.looked_up"), "support lookup"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => count(n, what));
  return said.length ? said.join(", ") : undefined;
}

/**
 * What a reader is told: a notable event in a sentence, or a run of routine ones folded into one line.
 * The same sentence repeated back to back (an offline phone failing to call home sixty times) is told once,
 * with how often and when the last one was.
 */
export type Told =
  | { readonly kind: "event"; readonly event: JournalEvent; readonly sentence: string; readonly times: number; readonly lastAt: string }
  | { readonly kind: "routine"; readonly events: readonly JournalEvent[] };

/**
 * Splits events into notable ones and runs of routine ones, in order. A heartbeat answer carrying a command
 * the reader was just told about ("tells alice-phone to lock") is an echo and folds too; a command sent
 * again after a lost answer is not.
 */
export function tell(events: readonly JournalEvent[], names: NameBook): Told[] {
  const out: Told[] = [];
  const told = new Set<string>();
  let run: JournalEvent[] = [];
  for (const event of events) {
    const commandId = event.data["commandId"];
    if (event.type === "command.issued" && typeof commandId === "string") told.add(commandId);
    const echo = event.type === "heartbeat.answered" && typeof commandId === "string" && told.has(commandId);
    if (isRoutine(event) || echo) {
      run.push(event);
      continue;
    }
    const sentence = narrate(event, names);
    const last = out[out.length - 1];
    // Routine events not worth a line (an acknowledgement) between two equal sentences do not break the repetition.
    const quietBetween = run.length === 0 || routinePhrase(run) === undefined;
    if (quietBetween && last?.kind === "event" && last.sentence === sentence) {
      out[out.length - 1] = { ...last, times: last.times + 1, lastAt: event.at };
      run = [];
      continue;
    }
    if (run.length) out.push({ kind: "routine", events: run });
    run = [];
    out.push({ kind: "event", event, sentence, times: 1, lastAt: event.at });
  }
  if (run.length) out.push({ kind: "routine", events: run });
  return out;
}
