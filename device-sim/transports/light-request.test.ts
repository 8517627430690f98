import { inspect } from "node:util";
import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createLockService, testKeys } from "../../mock-server/create.ts";
import { createApp } from "../../mock-server/http/app.ts";
import { imeiFrom } from "../../protocol/imei.ts";
import type { OperationId, RawRequest } from "../../protocol/operations.ts";
import { inProcessTransport, utf8Length } from "./in-process.ts";
import { lightRequest, type LightRequestInit } from "./light-request.ts";

const URL_TEXT = "http://heartlock.internal/v1/devices/dev%201/heartbeat?x=1&y=%C3%A9";
const INIT: LightRequestInit = { method: "POST", headers: { accept: "application/json", "content-type": "application/json" }, body: '{"seq":3,"note":"é ✓"}' };

/** The same request both ways: what the light one must be indistinguishable from. */
function both(url = URL_TEXT, init: LightRequestInit = INIT): [Request, Request] {
  return [lightRequest(url, init), new Request(url, init)];
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

describe("a light Request reads as the Request it stands for", () => {
  it("is a Request, with the same method, URL and headers", () => {
    const [light, real] = both();
    expect(light).toBeInstanceOf(Request);
    expect(light.method).toBe(real.method);
    expect(light.url).toBe(real.url);
    expect([...light.headers]).toEqual([...real.headers]);
    expect(light.bodyUsed).toBe(false);
  });

  it("normalises the method as Request does: the six standard ones in any case, others kept", () => {
    for (const method of ["post", "Get", "delete", "PATCH", "options", "put", "head", "QUERY"]) {
      const init = { method, headers: {} };
      expect(lightRequest("http://a.test/", init).method).toBe(new Request("http://a.test/", init).method);
    }
  });

  it("gives the body once, as text, JSON or bytes, and refuses a second read as Request does", async () => {
    for (const read of ["text", "json", "arrayBuffer"] as const) {
      const [light, real] = both();
      const [mine, theirs] = [await light[read](), await real[read]()];
      expect(mine instanceof ArrayBuffer ? new Uint8Array(mine) : mine).toEqual(theirs instanceof ArrayBuffer ? new Uint8Array(theirs) : theirs);
      expect(light.bodyUsed).toBe(true);
      expect(await rejection(light.text())).toBe(await rejection(real.text()));
      // Once used, what needs the real Request sees a used body too.
      expect(() => real.clone()).toThrow(TypeError);
      expect(() => light.clone()).toThrow(TypeError);
    }
  });

  it("answers everything else from a real Request with the same headers (changes included) and body", async () => {
    const light = lightRequest(URL_TEXT, INIT);
    light.headers.set("x-added", "1");
    expect(light.signal.aborted).toBe(false);
    expect(light.headers.get("x-added")).toBe("1");
    const copy = light.clone();
    expect(await copy.text()).toBe(INIT.body);
    expect(await new Response(light.body).text()).toBe(INIT.body);
    expect(light.bodyUsed).toBe(true);
    expect(light.mode).toBe(new Request(URL_TEXT, INIT).mode);
  });

  it("reads a request without a body as Request does: \"\" every time, never used", async () => {
    const [light, real] = both("http://a.test/release", { method: "POST", headers: {} });
    for (const request of [light, real]) {
      expect([await request.text(), await request.text(), new Uint8Array(await request.arrayBuffer()).length, request.bodyUsed]).toEqual(["", "", 0, false]);
      expect(await rejection(request.json())).toBe("SyntaxError");
    }
  });

  it("gives a body's text back as its UTF-8 round trip, as Request does: a BOM dropped, a lone surrogate U+FFFD", async () => {
    for (const body of ["\uFEFF{\"a\":1}", '{"a":"\uD800"}', '{"a":"\uDC00x\uD83D\uDE00"}', "plain ✓"]) {
      const [light, real] = both("http://a.test/", { method: "POST", headers: {}, body });
      expect(await light.text()).toBe(await real.text());
      const [bytesLight, bytesReal] = both("http://a.test/", { method: "POST", headers: {}, body });
      expect(new Uint8Array(await bytesLight.arrayBuffer())).toEqual(new Uint8Array(await bytesReal.arrayBuffer()));
    }
  });

  it("keeps one Headers object, and prints as a request", () => {
    const light = lightRequest(URL_TEXT, INIT);
    const headers = light.headers;
    void light.signal; // builds the real Request
    headers.set("x-later", "1");
    expect(light.headers).toBe(headers);
    expect(light.headers.get("x-later")).toBe("1");
    expect(inspect(light)).toContain("Request (light)");
  });

  it("refuses at once what Request refuses: a bad URL, a bad header, a body on GET, a forbidden or malformed method", () => {
    const attempts: [string, LightRequestInit][] = [
      ["not a url", { method: "GET", headers: {} }],
      ["http://user:pass@a.test/", { method: "GET", headers: {} }],
      ["http://a.test/", { method: "CONNECT", headers: {} }],
      ["http://a.test/", { method: "trace", headers: {} }],
      ["http://a.test/", { method: "GE T", headers: {} }],
      ["http://a.test/", { method: "POST", headers: { authorization: "Bearer a\nb" } }],
      ["http://a.test/", { method: "POST", headers: { "bad header": "x" } }],
      ["http://a.test/", { method: "get", headers: {}, body: "x" }],
    ];
    for (const [url, init] of attempts) {
      expect(() => new Request(url, init)).toThrow(TypeError);
      expect(() => lightRequest(url, init)).toThrow(TypeError);
    }
  });
});

describe("what the in-process transport sends", () => {
  it("a body's Content-Length: its UTF-8 length, as TextEncoder and a client on a socket count it", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.array(fc.integer({ min: 0, max: 0xffff })).map((units) => String.fromCharCode(...units))), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).byteLength);
      }),
    );
  });

  it("a POST without a body says Content-Length 0, as undici does on a socket; a GET says none", async () => {
    const lengths: (string | null)[] = [];
    const app = { fetch: (request: Request) => (lengths.push(request.headers.get("content-length")), new Response("{}")) };
    for (const lightRequests of [false, true]) {
      const transport = inProcessTransport(app, { lightRequests });
      await transport.call("recordPayment", { token: "k", params: { accountId: "acct-1" } });
      await transport.call("getAccount", { token: "k", params: { accountId: "acct-1" } });
    }
    expect(lengths).toEqual(["0", null, "0", null]);
  });

  it("a light Request serves a Hono app that reads the route, query, headers, JSON, the signal and a clone", async () => {
    const app = new Hono().post("/v1/echo/:id", async (c) => {
      const cloned = await c.req.raw.clone().text();
      const body = await c.req.json<{ note: string }>();
      return c.json({ id: c.req.param("id"), note: body.note, type: c.req.header("content-type"), cloned, aborted: c.req.raw.signal.aborted, query: c.req.query("q") });
    });
    const response = await app.fetch(lightRequest("http://h.test/v1/echo/a?q=1", { method: "POST", headers: { "content-type": "application/json" }, body: '{"note":"é"}' }));
    expect(await response.json()).toEqual({ id: "a", note: "é", type: "application/json", cloned: '{"note":"é"}', aborted: false, query: "1" });
  });
});

describe("Heartlock's own app", () => {
  it("answers a story of light Requests exactly as one of real Requests, refusals included", async () => {
    const imei = imeiFrom("35395803121326");
    const lenderKey = testKeys.lenders["lender-a"] ?? "";
    /** Plays the same calls on a fresh seeded service; each call's body may use the replies so far. */
    async function play(lightRequests: boolean) {
      const transport = inProcessTransport(createApp(createLockService()), { lightRequests });
      const replies: unknown[] = [];
      const call = async (id: OperationId, request: RawRequest) => {
        const reply = await transport.call(id, request);
        replies.push(reply);
        return reply.body as Record<string, string>;
      };
      await call("registerDevice", { token: lenderKey, body: { imei, accountId: "acct-1", contact: { phone: "+4930123456" } } });
      const checkin = await call("checkin", { body: { identifiers: [{ type: "imei", value: imei }] } });
      const device = { token: checkin.deviceToken, params: { deviceId: checkin.deviceId ?? "" } };
      await call("heartbeat", { ...device, body: { seq: 1, state: "active", nonce: "nonce-0001" } });
      await call("reportDefault", { token: lenderKey, params: { accountId: "acct-1" }, body: { reportId: "r-2026-03", amountDue: { value: 49.99, currency: "EUR" }, dueDate: "2026-03-01" } });
      await call("heartbeat", { ...device, body: { seq: 2, state: "active", nonce: "nonce-0002" } });
      await call("heartbeat", { ...device, body: { seq: 2, state: "active", nonce: "nonce-0003" } }); // a replayed seq
      await call("heartbeat", { ...device, body: { seq: "three" } }); // malformed
      await call("heartbeat", { token: "not-a-token", params: device.params, body: { seq: 4, state: "active", nonce: "nonce-0004" } });
      await call("heartbeat", { ...device, body: { seq: 5, state: "active", nonce: "é".repeat(40_000) } }); // over the body limit
      return replies;
    }
    const real = await play(false);
    const light = await play(true);
    expect(light).toEqual(real);
    expect((real[4] as { body: { command: { type: string } } }).body.command.type).toBe("lock");
    expect(real.map((reply) => (reply as { status: number }).status)).toEqual([201, 200, 200, 202, 200, 409, 400, 401, 413]);
  });
});
