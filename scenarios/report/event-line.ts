import type { JournalEvent } from "../../core/journal.ts";
import type { NameBook } from "./names.ts";
import { narrate } from "./narrate.ts";
import { localTime } from "./time.ts";

/** `#212 Sat 7 Mar 12:00 owner.paid: The owner of alice-phone pays 49.99 EUR.` for recent-event lists. */
export function eventLine(event: JournalEvent, names: NameBook): string {
  return `#${event.seq} ${localTime(event.at, names.timeZone)} ${event.type}: ${narrate(event, names)}`;
}
