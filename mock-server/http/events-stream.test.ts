import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Journal } from "../../core/journal.ts";
import { VirtualClock } from "../../core/virtual-clock.ts";
import { createLockService, testKeys } from "../create.ts";
import { createApp } from "./app.ts";
import { MAX_PENDING, openStreamCount } from "./events-stream.ts";
import { startServer, type RunningServer } from "./node-server.ts";

/** A client that never reads must not hold the server's memory nor slow the others: it is dropped. */
const clock = new VirtualClock(Date.parse("2026-03-02T09:00:00Z"));
const journal = new Journal(() => clock.now());
let server: RunningServer;
beforeAll(async () => {
  server = await startServer(createApp(createLockService({ clock, journal })));
});
afterAll(() => server.close());

const request = (port: number) =>
  `GET /v1/sim/events?after=${journal.lastSeq} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${testKeys.admin}\r\naccept: text/event-stream\r\n\r\n`;

/** A raw socket that asks for the stream and reads it (counting events by their `id:` lines) or, paused, never reads. */
function client(reads: boolean): { socket: Socket; ids: () => number[]; closed: Promise<void> } {
  const socket = connect(server.port, "127.0.0.1");
  let text = "";
  const ids: number[] = [];
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
    const lines = text.split("\n");
    text = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("id: ")) ids.push(Number(line.slice(4)));
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.write(request(server.port));
  if (!reads) socket.pause();
  return { socket, ids: () => ids, closed };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("the event stream under a slow client", () => {
  it("drops a client that never reads, while one that reads gets every event, in order", async () => {
    const first = journal.lastSeq + 1;
    const slow = client(false);
    const fast = client(true);
    while (openStreamCount() < 2) await turn();
    let slowClosed = false;
    void slow.closed.then(() => (slowClosed = true));
    // Events of about 1 KB, in batches with a turn of the event loop between, as a busy server appends them.
    const padding = "x".repeat(1000);
    const total = MAX_PENDING * 3;
    for (let i = 0; i < total; i += 100) {
      for (let k = 0; k < 100; k++) journal.append("device", "heartbeat", { i: i + k, padding });
      await turn();
      while (fast.ids().length < i + 100 - 200) await turn(); // the fast reader keeps up within a couple of batches
    }
    while (fast.ids().length < total) await turn();
    // The server has let go of the slow client's socket (before the fix it held it, and megabytes of unsent
    // events, until the client read them); once the client reads, it finds the stream cut off short.
    while ((await server.connections()) > 1) await turn();
    slow.socket.resume();
    await slow.closed;
    expect(slowClosed).toBe(true);
    expect(slow.ids().length).toBeLessThan(total);
    expect(fast.ids()).toEqual(Array.from({ length: total }, (_, i) => first + i));
    expect(fast.socket.destroyed).toBe(false);
    fast.socket.destroy();
    await fast.closed;
    while (openStreamCount() > 0) await turn();
  }, 60_000);
});
