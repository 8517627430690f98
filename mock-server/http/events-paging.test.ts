import { describe, expect, it } from "vitest";
import { createLockService, testKeys } from "../create.ts";
import { Journal } from "../../core/journal.ts";
import { VirtualClock } from "../../core/virtual-clock.ts";
import { createApp } from "./app.ts";
import { MAX_STREAMS } from "./events-stream.ts";

const admin = { authorization: `Bearer ${testKeys.admin}` };

function serviceWith(events: number, keep?: number) {
  const clock = new VirtualClock(Date.parse("2026-03-02T09:00:00Z"));
  const journal = new Journal(() => clock.now(), keep === undefined ? {} : { keep });
  for (let i = 0; i < events; i++) journal.append("device", "heartbeat", { i });
  return createApp(createLockService({ clock, journal }));
}

interface Page {
  events: { seq: number }[];
  next?: number;
  firstSeq?: number;
}

describe("GET /v1/sim/events paging", () => {
  it("answers at most a page (1000 by default) with a next cursor, and reads on from it to the end", async () => {
    const app = serviceWith(2500);
    const first = (await (await app.request("/v1/sim/events", { headers: admin })).json()) as Page;
    expect(first.events).toHaveLength(1000);
    expect(first.next).toBe(1000);
    const seen = [...first.events];
    let after = first.next;
    while (after !== undefined) {
      const page = (await (await app.request(`/v1/sim/events?after=${after}&limit=700`, { headers: admin })).json()) as Page;
      seen.push(...page.events);
      after = page.next;
    }
    expect(seen.map((event) => event.seq)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  });

  it("refuses a limit out of range with 400", async () => {
    const app = serviceWith(3);
    for (const limit of ["0", "10001", "-1", "x"]) expect((await app.request(`/v1/sim/events?limit=${limit}`, { headers: admin })).status).toBe(400);
  });

  it("with retention, says where the kept history starts and keeps counting seq", async () => {
    const app = serviceWith(30_000, 1000);
    const page = (await (await app.request("/v1/sim/events?after=29990", { headers: admin })).json()) as Page;
    expect(page.events.map((event) => event.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 29_991 + i));
    expect(page.firstSeq).toBeGreaterThan(1);
  });

  it(`refuses the event stream beyond ${MAX_STREAMS} open clients with 503 problem+json`, async () => {
    const app = serviceWith(1);
    const open: Response[] = [];
    for (let i = 0; i < MAX_STREAMS; i++) open.push(await app.request("/v1/sim/events", { headers: { ...admin, accept: "text/event-stream" } }));
    expect(open.every((response) => response.status === 200)).toBe(true);
    const refused = await app.request("/v1/sim/events", { headers: { ...admin, accept: "text/event-stream" } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    for (const response of open) await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await app.request("/v1/sim/events", { headers: { ...admin, accept: "text/event-stream" } });
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
