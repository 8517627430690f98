import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Journal, JournalEvent } from "../../core/journal.ts";
import { systemWall } from "../../core/wall-clock.ts";

const KEEP_ALIVE_MS = 15_000;

/**
 * `GET /v1/sim/events` with `Accept: text/event-stream`: the backlog after `after` (or Last-Event-ID),
 * then every new event as it is appended. Each SSE message has `id: seq`, `event: <type>`, `data: <event JSON>`,
 * so a browser EventSource resumes where it left off after a reconnect.
 */
export function streamEvents(c: Context, journal: Journal, after: number): Response {
  return streamSSE(c, async (stream) => {
    const queue: JournalEvent[] = [...journal.after(after)];
    let wake: (() => void) | undefined;
    let open = true;
    let ping = false;
    const unsubscribe = journal.subscribe((event) => {
      queue.push(event);
      wake?.();
    });
    // One keep-alive timer at a time, re-armed after each ping, so proxies keep an idle stream open.
    let timer: unknown;
    const arm = () => {
      timer = systemWall.setTimer(KEEP_ALIVE_MS, () => {
        ping = true;
        wake?.();
        if (open) arm();
      });
    };
    arm();
    stream.onAbort(() => {
      open = false;
      unsubscribe();
      systemWall.clearTimer(timer);
      wake?.();
    });
    while (open) {
      const event = queue.shift();
      if (event) {
        await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });
        continue;
      }
      if (ping) {
        ping = false;
        await stream.write(": keep-alive\n\n");
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  });
}
