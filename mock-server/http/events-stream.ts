import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Journal, JournalEvent } from "../../core/journal.ts";

/**
 * `GET /v1/sim/events` with `Accept: text/event-stream`: the backlog after `after` (or Last-Event-ID),
 * then every new event as it is appended. Each SSE message has `id: seq`, `event: <type>`, `data: <event JSON>`,
 * so a browser EventSource resumes where it left off after a reconnect.
 */
export function streamEvents(c: Context, journal: Journal, after: number): Response {
  return streamSSE(c, async (stream) => {
    const queue: JournalEvent[] = [...journal.after(after)];
    let wake: (() => void) | undefined;
    const unsubscribe = journal.subscribe((event) => {
      queue.push(event);
      wake?.();
    });
    let open = true;
    stream.onAbort(() => {
      open = false;
      unsubscribe();
      wake?.();
    });
    while (open) {
      const event = queue.shift();
      if (event) {
        await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });
        continue;
      }
      // Wait for the next event, or send a comment every 15 s so proxies keep the stream open.
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stream.sleep(15_000)]);
      wake = undefined;
      if (open && queue.length === 0) await stream.write(": keep-alive\n\n");
    }
  });
}
