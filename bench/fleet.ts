import { DAY } from "../core/clock.ts";
import { World } from "../scenarios/world.ts";

/**
 * `npm run bench -- fleet`: fleets on virtual time in fleet journal mode, on the direct transport: 10,000 phones x
 * 30 days (goal <= 30 s) and 100,000 x 30 days (goal <= 5 min under 2 GB), advanced a day at a time and stopped
 * when a run passes its time budget twice over, so a miss says how far it got. Also the heap an idle phone holds
 * (goal <= 2 KB), measured after a forced GC (the bench runs with --expose-gc).
 */
export interface FleetFigure {
  readonly devices: number;
  readonly days: number;
  readonly daysReached: number;
  readonly seconds: number;
  readonly heartbeats: number;
  readonly peakRssMb: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function populated(devices: number): Promise<World> {
  const world = await World.create({ seed: 1, transport: "direct", fleet: {} });
  for (let i = 0; i < devices; i++) await world.addDevice({ accountId: `acct-${i}` });
  return world;
}

export async function heapPerIdlePhone(devices = 2000): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const world = await populated(devices);
  await world.runFor("P1D");
  gc();
  const perPhone = (process.memoryUsage().heapUsed - before) / devices;
  await world.close();
  return perPhone;
}

export async function fleetRun(devices: number, days: number, budgetSeconds: number, now: () => number = () => performance.now()): Promise<FleetFigure> {
  const began = now();
  let peakRss = process.memoryUsage().rss;
  const world = await populated(devices);
  let daysReached = 0;
  while (daysReached < days && (now() - began) / 1000 < budgetSeconds * 2) {
    await world.clock.advanceBy(DAY);
    daysReached += 1;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (now() - began) / 1000;
  const journal = world.journal as { foldedCount?: (type: string) => number };
  const heartbeats = (journal.foldedCount?.("heartbeat") ?? 0) + world.events({ type: "heartbeat" }).length;
  await world.close();
  return { devices, days, daysReached, seconds, heartbeats, peakRssMb: peakRss / 1024 / 1024 };
}

export async function fleetBench(): Promise<void> {
  const row = (name: string, value: string, verdict: string) => console.log(`${name.padEnd(52)} ${value.padStart(16)}  ${verdict}`);
  const heap = await heapPerIdlePhone();
  row("heap per idle phone (2,000 phones, 1 day, after GC)", `${(heap / 1024).toFixed(2)} KB`, heap <= 2048 ? "goal <=2 KB: met" : `goal <=2 KB: MISSED by ${((heap - 2048) / 1024).toFixed(2)} KB`);
  for (const [devices, budget, memoryMb] of [
    [10_000, 30, Infinity],
    [100_000, 300, 2048],
  ] as const) {
    const figure = await fleetRun(devices, 30, budget);
    gc();
    const done = figure.daysReached === figure.days;
    const timeVerdict = done && figure.seconds <= budget ? `goal <=${budget} s: met` : done ? `goal <=${budget} s: MISSED by ${(figure.seconds - budget).toFixed(0)} s` : `goal <=${budget} s: MISSED, stopped at day ${figure.daysReached} of 30`;
    row(`fleet journal: ${devices.toLocaleString("en")} phones x 30 days`, `${figure.seconds.toFixed(1)} s`, timeVerdict);
    row(`  heartbeats per second`, `${Math.round(figure.heartbeats / figure.seconds)}`, "");
    row(`  peak RSS`, `${figure.peakRssMb.toFixed(0)} MB`, Number.isFinite(memoryMb) ? (figure.peakRssMb <= memoryMb ? `goal <${memoryMb / 1024} GB: met` : `goal <${memoryMb / 1024} GB: MISSED`) : "");
  }
}
