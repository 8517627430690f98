import type { JournalEvent } from "../../core/journal.ts";
import { eventSpec } from "./events.ts";

/** What a journal holds that the catalogue does not know: a type, a type's actor, a data key or an enumerated key's value. Empty when in step. */
export function uncatalogued(journal: readonly JournalEvent[]): string[] {
  const missing = new Set<string>();
  for (const event of journal) {
    const spec = eventSpec(event.type);
    if (spec === undefined) {
      missing.add(`type ${event.type}`);
      continue;
    }
    if (!spec.actors.includes(event.actor)) missing.add(`${event.type} by ${event.actor}`);
    for (const [key, value] of Object.entries(event.data)) {
      if (!spec.data.includes(key)) missing.add(`${event.type} data.${key}`);
      const allowed = spec.values?.[key];
      if (allowed !== undefined && value !== undefined && !allowed.includes(String(value))) missing.add(`${event.type} data.${key} = ${JSON.stringify(value)}`);
    }
  }
  return [...missing].sort();
}
