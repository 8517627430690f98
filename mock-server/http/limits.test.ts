import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLockService, testKeys } from "../create.ts";
import { createApp } from "./app.ts";
import { MAX_BODY_BYTES } from "./limits.ts";
import { startServer, type RunningServer } from "./node-server.ts";

/** What one request may cost, over a real socket (the limits live partly in Node's HTTP server). */
let server: RunningServer;
const service = createLockService();
beforeAll(async () => {
  server = await startServer(createApp(service));
});
afterAll(() => server.close());

/** Sends raw bytes and collects everything the server answers until it closes (or `ms` pass). */
function raw(bytes: string, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, ms);
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on("error", (error) => (text ? resolve(text) : reject(error)));
    socket.write(bytes);
  });
}

describe("request limits", () => {
  it("refuses a 600 MB check-in from its Content-Length with 413 problem+json, before reading the body", async () => {
    const answer = await raw(`POST /v1/devices/checkin HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${600 * 1024 * 1024}\r\nconnection: close\r\n\r\n{"identifiers":`);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain("application/problem+json");
    expect(answer).toContain('"status":413');
  });

  it("refuses a chunked body once it grows past the limit, with 413 and no change of state", async () => {
    const before = service.state.journal.lastSeq;
    const big = `{"imei":"${"1".repeat(MAX_BODY_BYTES + 10)}"}`;
    const response = await fetch(`${server.url}/v1/lender/devices`, {
      method: "POST",
      headers: { authorization: `Bearer ${testKeys.lenders["lender-a"]}`, "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(service.state.journal.lastSeq).toBe(before);
  });

  it("answers oversized headers with 431 problem+json and a malformed request with 400 problem+json", async () => {
    const huge = await raw(`GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-pad: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect(huge).toContain("application/problem+json");
    const broken = await raw("NOT HTTP AT ALL\r\n\r\n");
    expect(broken).toMatch(/^HTTP\/1\.1 400/);
    expect(broken).toContain('"code":"invalid_request"');
  });

  it("refuses a 4-million-digit duration cheaply (413 by size) and a 100-digit one as invalid (400)", async () => {
    const patch = (advanceBy: string) =>
      fetch(`${server.url}/v1/sim/clock`, { method: "PATCH", headers: { authorization: `Bearer ${testKeys.admin}`, "content-type": "application/json" }, body: JSON.stringify({ advanceBy }) });
    expect((await patch(`PT${"9".repeat(4_000_000)}S`)).status).toBe(413);
    expect((await patch(`PT${"9".repeat(100)}S`)).status).toBe(400);
  });

  it("moves the clock at most a year per call: a ten-year advance or a set to 9999 is refused and the clock stays", async () => {
    const before = service.state.now();
    const patch = (body: unknown) =>
      fetch(`${server.url}/v1/sim/clock`, { method: "PATCH", headers: { authorization: `Bearer ${testKeys.admin}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const tenYears = await patch({ advanceBy: "P3650D" });
    expect(tenYears.status).toBe(400);
    expect(((await tenYears.json()) as { detail: string }).detail).toMatch(/at most P366D/);
    expect((await patch({ set: "9999-12-31T00:00:00Z" })).status).toBe(400);
    expect(service.state.now()).toBe(before);
  });
});
