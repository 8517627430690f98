import { Hono } from "hono";
import { createLockService } from "../mock-server/create.ts";
import { createApp } from "../mock-server/http/app.ts";
import { directTransport } from "../device-sim/transports/direct.ts";
import { inProcessTransport } from "../device-sim/transports/in-process.ts";
import type { LockServiceTransport } from "../device-sim/transports/transport.ts";
import { World } from "../scenarios/world.ts";
import { measure, timeOnce } from "./measure.ts";
import { scenarioLibrary } from "./scenario-library.ts";

// `npm run bench -- soak`: the long-running server under 1,000 phones (bench/soak.ts), instead of the ratios below.
if (process.argv[2] === "soak") {
  await (await import("./soak.ts")).soak();
  process.exit(0);
}

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
const library = await scenarioLibrary();

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

const DAY_MS = 86_400_000;
console.log("");
console.log(row("scenario library, in-process (best of 3)", "real time", "vs baseline"));
for (const s of library.scenarios) {
  const perHeartbeat = (s.ms * 1000) / Math.max(1, s.heartbeats);
  const daysPerSecond = s.simulatedMs / DAY_MS / (s.ms / 1000);
  console.log(row(`  ${s.name} (${(s.simulatedMs / DAY_MS).toFixed(1)} d, ${s.heartbeats} hb)`, `${s.ms.toFixed(1)} ms`, `${(perHeartbeat / baseline.perOpMicros).toFixed(2)}x/hb`));
  console.log(row("", `${daysPerSecond.toFixed(0)} days/s`, ""));
}
const total = library.scenarios.reduce((sum, s) => ({ ms: sum.ms + s.ms, hb: sum.hb + s.heartbeats, sim: sum.sim + s.simulatedMs }), { ms: 0, hb: 0, sim: 0 });
console.log(row(`  all ${library.scenarios.length} (sum of best runs, ${total.hb} hb)`, `${total.ms.toFixed(0)} ms`, `${((total.ms * 1000) / total.hb / baseline.perOpMicros).toFixed(2)}x/hb`));
console.log(row("    simulated time per real second", `${(total.sim / DAY_MS / (total.ms / 1000)).toFixed(0)} days/s`, ""));
console.log(row("  whole library, cold, one pass incl. reading YAML", `${library.wholeLibraryMs.toFixed(0)} ms`, library.wholeLibraryMs < 2000 ? "target <2 s: met" : "target <2 s: MISSED"));
console.log(row("    reading and checking the YAML files", `${library.loadMs.toFixed(0)} ms`, ""));
