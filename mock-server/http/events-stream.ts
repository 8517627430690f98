import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { streamSSE, type SSEMessage } from "hono/streaming";
import type { Journal, JournalEvent } from "../../core/journal.ts";
import { systemWall, type Wall } from "../../core/wall-clock.ts";
import { simpleProblem } from "./problem-response.ts";

const KEEP_ALIVE_MS = 15_000;

/**
 * Open streams per process, at most (the journal's and the studio's together): each costs a write per event,
 * so 500 of them slowed every write to a quarter of a second. One more is refused with 503 and Retry-After.
 */
export const MAX_STREAMS = 64;
/**
 * Live items waiting for one client, at most. A client that reads slower than events arrive is dropped rather
 * than holding memory and slowing the rest: its socket is destroyed, not ended, because an end waits for the
 * client to read what is already buffered, and one that never reads would hold the socket and those bytes for
 * good. An EventSource reconnects by itself (with Last-Event-ID, where the stream has ids) and gets the backlog
 * again.
 */
export const MAX_PENDING = 10_000;
let openStreams = 0;

/** How many event streams are open now (for tests and the soak benchmark). */
export function openStreamCount(): number {
  return openStreams;
}

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
  if (openStreams >= MAX_STREAMS) {
    return simpleProblem(503, "service_unavailable", `Too many open event streams (at most ${MAX_STREAMS}); close one or try again later.`, { "retry-after": "5" });
  }
  openStreams += 1;
  return streamSSE(c, async (stream) => {
    const backlog = source.backlog.length;
    const queue: T[] = source.backlog;
    let next = 0;
    let wake: (() => void) | undefined;
    let open = true;
    let ping = false;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open = false;
      openStreams -= 1;
      unsubscribe();
      wall.clearTimer(timer);
      wake?.();
    };
    const unsubscribe = source.subscribe((item) => {
      queue.push(item);
      // Too far behind (the backlog it asked for does not count against it): dropped, so it reconnects.
      if (queue.length - next > backlog + MAX_PENDING) {
        close();
        hangUp(c);
        stream.abort();
        return;
      }
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
    stream.onAbort(close);
    try {
      while (open) {
        if (next < queue.length) {
          await stream.writeSSE(source.message(queue[next++] as T));
          // Written items are let go in batches, so a long-lived stream does not keep them all.
          if (next >= 1024) {
            queue.splice(0, next);
            next = 0;
          }
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
    } finally {
      close();
    }
  });
}

/** Cuts the client's connection off, where it is a Node socket (`app.request` in tests has none to cut). */
function hangUp(c: Context): void {
  (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.resetAndDestroy();
}
