import type { Context } from "hono";
import { streamSSE, type SSEMessage } from "hono/streaming";
import type { Journal, JournalEvent } from "../../core/journal.ts";
import { systemWall, type Wall } from "../../core/wall-clock.ts";

const KEEP_ALIVE_MS = 15_000;

/**
 * `GET /v1/sim/events` with `Accept: text/event-stream`: the backlog after `after` (or Last-Event-ID),
 * then every new event as it is appended. Each SSE message has `id: seq`, `event: <type>`, `data: <event JSON>`,
 * so a browser EventSource resumes where it left off after a reconnect.
 */
export function streamEvents(c: Context, journal: Journal, after: number): Response {
  return streamQueue<JournalEvent>(c, {
    backlog: [...journal.after(after)],
    subscribe: (push) => journal.subscribe(push),
    message: (event) => ({ id: String(event.seq), event: event.type, data: JSON.stringify(event) }),
  });
}

export interface QueueSource<T> {
  /** What the client gets first. */
  readonly backlog: T[];
  /** Starts delivering new items; returns the unsubscribe function. */
  readonly subscribe: (push: (item: T) => void) => () => void;
  readonly message: (item: T) => SSEMessage;
}

/**
 * An SSE stream of a backlog and then live items, in order, with a keep-alive comment every 15 s so proxies
 * keep an idle stream open. The lock service's journal and the studio's page both stream through it.
 */
export function streamQueue<T>(c: Context, source: QueueSource<T>, wall: Wall = systemWall): Response {
  return streamSSE(c, async (stream) => {
    const queue: T[] = source.backlog;
    let wake: (() => void) | undefined;
    let open = true;
    let ping = false;
    const unsubscribe = source.subscribe((item) => {
      queue.push(item);
      wake?.();
    });
    // One keep-alive timer at a time, re-armed after each ping.
    let timer: unknown;
    const arm = () => {
      timer = wall.setTimer(KEEP_ALIVE_MS, () => {
        ping = true;
        wake?.();
        if (open) arm();
      });
    };
    arm();
    stream.onAbort(() => {
      open = false;
      unsubscribe();
      wall.clearTimer(timer);
      wake?.();
    });
    while (open) {
      if (queue.length > 0) {
        await stream.writeSSE(source.message(queue.shift() as T));
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
