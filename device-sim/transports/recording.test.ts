import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { inProcessTransport } from "./in-process.ts";
import { poolTransport } from "./pool.ts";
import { recordingTransport, type SentRequest } from "./recording.ts";
import type { LockServiceTransport } from "./transport.ts";

const heartbeat = { token: "secret-device-token", params: { deviceId: "dev-1" }, body: { seq: 3, state: "active", nonce: "n".repeat(16) } };

/** Calls `heartbeat` through a recording wrapper; gives back what was recorded. */
async function record(transport: LockServiceTransport): Promise<SentRequest> {
  const sent: SentRequest[] = [];
  await recordingTransport(transport, "490154203237518", () => 0, (request) => sent.push(request)).call("heartbeat", heartbeat);
  const [first] = sent;
  if (!first) throw new Error("nothing recorded");
  return first;
}

/** Every recorded header arrived as recorded, the token apart, which is kept only as its scheme. */
function expectArrived(recorded: SentRequest, received: Record<string, string | string[] | undefined>): void {
  expect(recorded.headers).toEqual({ accept: "application/json", authorization: "Bearer <redacted>", "content-type": "application/json" });
  for (const [name, value] of Object.entries(recorded.headers)) expect(received[name]).toBe(name === "authorization" ? "Bearer secret-device-token" : value);
  expect(JSON.stringify(recorded)).not.toContain("secret-device-token");
}

describe("a recorded request is what the phone's HTTP client sends", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it.each([false, true])("in-process (light Requests: %s): the headers and body the Hono app's fetch receives, and the Content-Length a socket would add", async (lightRequests) => {
    let received: Record<string, string> = {};
    let body = "";
    const app = {
      async fetch(request: Request): Promise<Response> {
        received = Object.fromEntries(request.headers.entries());
        body = await request.text();
        return new Response("{}", { headers: { "content-type": "application/json" } });
      },
    };
    const recorded = await record(inProcessTransport(app, { lightRequests }));
    expectArrived(recorded, received);
    expect(recorded.body).toEqual(JSON.parse(body));
    expect(received["content-length"]).toBe(String(new TextEncoder().encode(body).byteLength));
    expect([recorded.method, recorded.path]).toEqual(["POST", "/v1/devices/dev-1/heartbeat"]);
  });

  it("http: the headers a real server on loopback receives (undici adds only host, connection, content-length)", async () => {
    let received: IncomingHttpHeaders = {};
    const server = createServer((request, response) => {
      received = request.headers;
      request.resume();
      request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const transport = poolTransport(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    closers.unshift(() => transport.close?.() ?? Promise.resolve());
    const recorded = await record(transport);
    expectArrived(recorded, received);
    expect(Object.keys(received).filter((name) => !(name in recorded.headers)).sort()).toEqual(["connection", "content-length", "host"]);
  });
});
