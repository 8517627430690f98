import { Hono } from "hono";
import { createLockService } from "../mock-server/create.ts";
import { createApp } from "../mock-server/http/app.ts";
import { directTransport } from "../device-sim/transports/direct.ts";
import { inProcessTransport } from "../device-sim/transports/in-process.ts";
import type { LockServiceTransport } from "../device-sim/transports/transport.ts";
import { World } from "../scenarios/world.ts";
import { measure, timeOnce } from "./measure.ts";

/**
 * `npm run bench`: speed and memory of the simulation, each as a ratio against a baseline measured in
 * the same run (a bare Hono `app.request` round trip), because these machines are shared and noisy.
 */
async function bareHonoBaseline() {
  const app = new Hono().post("/ping", async (c) => c.json({ ok: true, echo: await c.req.json() }));
  return measure("bare Hono app.request round trip", () =>
    app.request("/ping", { method: "POST", headers: { "content-type": "application/json" }, body: '{"seq":1}' }),
  );
}

/** One enrolled device, then heartbeats straight at a transport: the lock service's own cost per heartbeat. */
async function heartbeatCost(name: string, transportFor: (service: ReturnType<typeof createLockService>) => LockServiceTransport) {
  const service = createLockService({ seed: 1 });
  const transport = transportFor(service);
  await transport.call("registerDevice", {
    token: "lender-a-key",
    body: { imei: "490154203237518", accountId: "acct-1", contact: { phone: "+4930123456" } },
  });
  const checkin = (await transport.call("checkin", { body: { identifiers: [{ type: "imei", value: "490154203237518" }] } })).body as {
    deviceId: string;
    deviceToken: string;
  };
  let seq = 0;
  return measure(name, () => {
    seq += 1;
    // Keep the journal from growing without bound across millions of calls.
    if (seq % 10_000 === 0) service.state.journal.clear();
    return transport.call("heartbeat", {
      token: checkin.deviceToken,
      params: { deviceId: checkin.deviceId },
      body: { seq, state: "active", nonce: `nonce-${seq}` },
    });
  });
}

async function thirtyDayStory() {
  const run = async () => {
    const world = await World.create({ seed: 1 });
    const phone = await world.addDevice({ accountId: "acct-1" });
    await world.runFor("P10D");
    await world.lender().call("reportDefault", {
      params: { accountId: "acct-1" },
      body: { reportId: "r-1", amountDue: { value: 49.99, currency: "EUR" }, dueDate: "2026-03-01" },
    });
    await world.runFor("P5D");
    await world.lender().call("recordPayment", { params: { accountId: "acct-1" }, body: { paymentId: "p-1", amount: { value: 49.99, currency: "EUR" } } });
    await world.runFor("P15D");
    const heartbeats = world.events({ type: "heartbeat" }).length;
    await world.close();
    if (phone.snapshot.status !== "active") throw new Error("the story did not end unlocked");
    return heartbeats;
  };
  await run(); // warm-up
  let best = Infinity;
  let heartbeats = 0;
  for (let i = 0; i < 5; i++) {
    const { ms, result } = await timeOnce(run);
    best = Math.min(best, ms);
    heartbeats = result;
  }
  return { ms: best, heartbeats };
}

async function fleet(devices: number, days: number) {
  const heapBefore = process.memoryUsage().heapUsed;
  const { ms, result } = await timeOnce(async () => {
    const world = await World.create({ seed: 1 });
    for (let i = 0; i < devices; i++) await world.addDevice({ accountId: `acct-${i % 100}` });
    await world.runFor(`P${days}D`);
    const heartbeats = world.events({ type: "heartbeat" }).length;
    const heap = process.memoryUsage().heapUsed - heapBefore;
    await world.close();
    return { heartbeats, heap };
  });
  return { ms, ...result };
}

function row(name: string, value: string, ratio: string): string {
  return `${name.padEnd(52)} ${value.padStart(16)} ${ratio.padStart(12)}`;
}

const baseline = await bareHonoBaseline();
const direct = await heartbeatCost("heartbeat, direct transport (typed operations)", (s) => directTransport(s));
const inProcess = await heartbeatCost("heartbeat, in-process transport (Hono fetch)", (s) => inProcessTransport(createApp(s)));
const story = await thirtyDayStory();
const crowd = await fleet(1000, 30);

console.log(row("measurement", "value", "vs baseline"));
console.log(row(baseline.name, `${baseline.perOpMicros.toFixed(1)} µs`, "1.00x"));
for (const m of [direct, inProcess]) console.log(row(m.name, `${m.perOpMicros.toFixed(1)} µs`, `${(m.perOpMicros / baseline.perOpMicros).toFixed(2)}x`));
const storyPerHeartbeat = (story.ms * 1000) / story.heartbeats;
console.log(row(`30-day, 1-device story (${story.heartbeats} heartbeats)`, `${story.ms.toFixed(1)} ms`, `${(storyPerHeartbeat / baseline.perOpMicros).toFixed(2)}x/hb`));
console.log(row("  simulated time per real second", `${(30 / (story.ms / 1000)).toFixed(0)} days/s`, ""));
const fleetPerHeartbeat = (crowd.ms * 1000) / crowd.heartbeats;
console.log(row(`fleet: 1,000 devices x 30 days (${crowd.heartbeats} hb)`, `${(crowd.ms / 1000).toFixed(2)} s`, `${(fleetPerHeartbeat / baseline.perOpMicros).toFixed(2)}x/hb`));
console.log(row("  heartbeats per real second", `${Math.round(crowd.heartbeats / (crowd.ms / 1000))}`, ""));
console.log(row("  heap held by the fleet's world at the end", `${(crowd.heap / 1024 / 1024).toFixed(0)} MiB`, ""));
