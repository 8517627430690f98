import { EventEmitter } from "node:events";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imeiFrom } from "../../protocol/imei.ts";
import { createLockService, testKeys } from "../create.ts";
import { createApp } from "./app.ts";
import { limitBodies, MAX_BODY_BYTES, readCapped, type NodeBody } from "./limits.ts";
import { startServer, type RunningServer } from "./node-server.ts";

/**
 * Chunked bodies on the Node server are read by limitBodies itself, straight from the Node request (building
 * the adapter's WHATWG Request for each one made the soak's memory climb): they must still reach the handler
 * whole, also through the studio's app around the lock service (two limits, one read), and stay capped.
 */
class FakeBody extends EventEmitter implements NodeBody {
  readableEnded = false;
  paused = false;
  pause(): this {
    this.paused = true;
    return this;
  }
}

describe("readCapped", () => {
  it("gives the whole body as UTF-8 text, however it was split", async () => {
    const body = new FakeBody();
    const read = readCapped(body, 64);
    const bytes = new TextEncoder().encode('{"name":"Zoë"}');
    body.emit("data", bytes.subarray(0, 12)); // splits the ë's two bytes
    body.emit("data", bytes.subarray(12));
    body.emit("end");
    expect(await read).toBe('{"name":"Zoë"}');
  });

  it("stops at the bound: answers undefined once past it, keeps none of the rest and pauses the stream", async () => {
    const body = new FakeBody();
    const read = readCapped(body, 10);
    body.emit("data", new Uint8Array(6));
    body.emit("data", new Uint8Array(6));
    expect(await read).toBeUndefined();
    expect(body.paused).toBe(true);
    // Nothing is listening any more: later chunks are not collected anywhere.
    expect(body.listenerCount("data") + body.listenerCount("end") + body.listenerCount("close") + body.listenerCount("error")).toBe(0);
  });

  it("rejects when the client goes away mid-body", async () => {
    const body = new FakeBody();
    const read = readCapped(body, 64);
    body.emit("data", new Uint8Array(3));
    body.emit("close");
    await expect(read).rejects.toThrow(/closed the connection/);
  });
});

describe("chunked bodies over a real socket", () => {
  let direct: RunningServer;
  let nested: RunningServer;
  let mounted: RunningServer;
  const service = createLockService();
  beforeAll(async () => {
    direct = await startServer(createApp(service));
    // As the studio mounts the lock service: a limit around the app that has its own.
    const outer = new Hono();
    outer.use(limitBodies());
    outer.route("/", createApp(service));
    nested = await startServer(outer);
    // As the studio mounts it now: the routes leave the limit to the app around them (bodiesLimited).
    const studioLike = new Hono();
    studioLike.use(limitBodies());
    studioLike.route("/", createApp(service, { bodiesLimited: true }));
    mounted = await startServer(studioLike);
  });
  afterAll(async () => {
    await direct.close();
    await nested.close();
    await mounted.close();
  });

  const chunked = (text: string) =>
    new ReadableStream({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        controller.enqueue(bytes.subarray(0, 7));
        controller.enqueue(bytes.subarray(7));
        controller.close();
      },
    });
  const register = (url: string, body: ReadableStream) =>
    fetch(`${url}/v1/lender/devices`, {
      method: "POST",
      headers: { authorization: `Bearer ${testKeys.lenders["lender-a"]}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);

  it("hands a chunked body under the limit to the handler whole, directly and through a mounting app", async () => {
    for (const [server, n] of [[direct, 1], [nested, 2], [mounted, 3]] as const) {
      const accountId = `chunked-${n}`;
      const response = await register(server.url, chunked(JSON.stringify({ imei: imeiFrom(`3512345600000${n}`), accountId, contact: { phone: "+4930123456" } })));
      expect(response.status).toBe(201);
      expect(service.state.store.deviceCount()).toBe(n);
    }
  });

  it("still refuses a chunked body past the limit with 413, through a mounting app too", async () => {
    const big = `{"imei":"${"1".repeat(MAX_BODY_BYTES + 10)}"}`;
    for (const server of [direct, nested, mounted]) expect((await register(server.url, chunked(big))).status).toBe(413);
  });

  it("refuses a body whose Content-Length is past the limit with 413, through the app that limits for its routes too", async () => {
    const big = `{"imei":"${"1".repeat(MAX_BODY_BYTES + 10)}"}`;
    for (const server of [direct, nested, mounted]) {
      const response = await fetch(`${server.url}/v1/lender/devices`, { method: "POST", headers: { authorization: `Bearer ${testKeys.lenders["lender-a"]}`, "content-type": "application/json" }, body: big });
      expect(response.status).toBe(413);
    }
    expect(service.state.store.deviceCount()).toBe(3);
  });
});
