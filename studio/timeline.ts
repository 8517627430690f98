import type { JournalEvent } from "../core/journal.ts";
import { isRoutine, narrate } from "../scenarios/report/narrate.ts";
import type { NameBook } from "../scenarios/report/names.ts";
import { sequenceOf } from "../scenarios/report/mermaid.ts";
import { sequenceSvg } from "../scenarios/report/sequence-svg.ts";
import { localTime } from "../scenarios/report/time.ts";
import type { DiagramUpdate, TimelineEntry } from "./contract.ts";
import type { Show } from "./stage.ts";

/** The live diagram draws the newest messages only; the download has them all. */
export const LIVE_DIAGRAM_ITEMS = 80;

/** One journal event as the page's timeline tells it: local time, actor, a sentence. */
export function timelineEntry(event: JournalEvent, show: Show, names: NameBook): TimelineEntry {
  return {
    stageId: show.id,
    seq: event.seq,
    at: event.at,
    local: localTime(event.at, names.timeZone),
    actor: event.actor,
    type: event.type,
    narration: narrate(event, names),
    routine: isRoutine(event),
  };
}

/** The sequence diagram of the run so far: the newest messages live, or all of them for the download. */
export function diagramOf(show: Show, options: { readonly all?: boolean } = {}): DiagramUpdate {
  const model = sequenceOf(show.run.result());
  return {
    svg: sequenceSvg(model, options.all ? {} : { last: LIVE_DIAGRAM_ITEMS }),
    messages: model.items.filter((item) => item.kind === "arrow").length,
  };
}
