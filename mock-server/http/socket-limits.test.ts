import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLockService } from "../create.ts";
import { createApp } from "./app.ts";
import { startServer, type RunningServer } from "./node-server.ts";
import { serverOptions } from "./socket-limits.ts";

/**
 * A socket that stalls is cut off by the server, over a real socket. The timeouts are shortened here so the test
 * does not wait the real ones out; the test of the defaults says what `serve` uses.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startServer(createApp(createLockService()), {
    socketLimits: { headersTimeout: 300, requestTimeout: 600, keepAliveTimeout: 300, connectionsCheckingInterval: 50 },
  });
});
afterAll(() => server.close());

/** Writes `bytes` and then nothing more; resolves with everything the server answered once the server closes the socket. */
function stall(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("close", () => resolve(text));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? undefined : reject(error)));
    socket.write(bytes);
  });
}

/** The server has let go of every socket (its own count drops a moment after the client sees the close). */
async function noneOpen(): Promise<true> {
  while ((await server.connections()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return true;
}

describe("socket limits", () => {
  it("are by default the ones README names: headers within 10 s, the request within 30 s, idle keep-alive 5 s, headers at most 16 KiB", () => {
    expect(serverOptions()).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: 16 * 1024,
    });
    expect(serverOptions({ headersTimeout: 300 })).toMatchObject({ headersTimeout: 300, requestTimeout: 30_000 });
  });

  it("closes a socket stalled in its headers, answering 408 problem+json", async () => {
    const answer = await stall("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-unfinished: ");
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain("content-type: application/problem+json");
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toMatchObject({ status: 408, code: "invalid_request" });
    expect(await noneOpen()).toBe(true);
  });

  it("closes a socket stalled in the middle of its request line", async () => {
    const answer = await stall("GET /heal");
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(await noneOpen()).toBe(true);
  });

  it("closes a socket whose body stops short of its Content-Length, and keeps answering others", async () => {
    await stall(`POST /v1/devices/checkin HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"identifiers":`);
    expect(await noneOpen()).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("closes an idle keep-alive socket after its answer", async () => {
    const answer = await stall("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(await noneOpen()).toBe(true);
  });
});
