import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { createMockLockService } from "./index.ts";

const wall = new ManualWall(Date.parse("2030-01-01T00:00:00Z"));
const mock = createMockLockService({ baseUrl: "http://prototype.test/api/lock", start: "2026-03-02T09:00:00Z", wall });
const server = setupServer(...mock.handlers);
const admin = { authorization: `Bearer ${mock.world.keys.admin}`, "content-type": "application/json" };

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => {
  server.close();
  mock.close();
});

describe("createMockLockService", () => {
  it("answers the protocol under a base URL with a path, and the OpenAPI document beside it", async () => {
    expect(await (await fetch("http://prototype.test/api/lock/healthz")).json()).toEqual({ ok: true });
    const doc = (await (await fetch("http://prototype.test/api/lock/openapi.json")).json()) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\.1/);
  });

  it("starts paused at the given time, and the page's clock advances, plays and pauses through the protocol", async () => {
    expect(new Date(mock.clock.now()).toISOString()).toBe("2026-03-02T09:00:00.000Z");
    await mock.clock.advance("P1D");
    expect(new Date(mock.clock.now()).toISOString()).toBe("2026-03-03T09:00:00.000Z");
    await mock.clock.play(3600);
    await wall.advance(1000); // one real second at an hour per second
    expect(new Date(mock.clock.now()).toISOString()).toBe("2026-03-03T10:00:00.000Z");
    await mock.clock.pause();
    expect(mock.clock.speed()).toBe(0);
    const clock = await fetch("http://prototype.test/api/lock/v1/sim/clock", { headers: admin });
    expect(await clock.json()).toEqual({ now: "2026-03-03T10:00:00.000Z", speed: 0 });
    expect(mock.world.events().filter((event) => event.type === "clock.changed")).toHaveLength(3);
  });

  it("turns a drop fault into a network error, as a real socket closing would", async () => {
    await fetch("http://prototype.test/api/lock/v1/sim/faults", { method: "POST", headers: admin, body: JSON.stringify({ kind: "drop" }) });
    await expect(fetch("http://prototype.test/api/lock/v1/devices/checkin", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifiers: [{ type: "imei", value: "353958031213269" }] }) })).rejects.toThrow();
    await mock.world.reset();
    expect(mock.world.events().map((event) => event.type)).toEqual(["sim.reset"]);
  });
});
