import { Hono } from "hono";
import { DAY } from "../core/clock.ts";
import { World } from "../scenarios/world.ts";
import { measure } from "./measure.ts";

/**
 * `npm run bench -- fleet`: fleets on virtual time in fleet journal mode, on the direct transport: 10,000 phones x
 * 30 days (goal <= 30 s) and 100,000 x 30 days (goal <= 5 min under 2 GB), advanced a day at a time. Also the heap
 * an idle phone holds (goal <= 2 KB), measured after a forced GC (the bench runs with --expose-gc) on a second world,
 * once the first has paid for what a process loads and compiles once. Every goal is
 * printed as "met" or "missed by X".
 *
 * A run that passes twice its time budget stops there, and its 30-day time is extrapolated from the days it ran
 * (labelled so). Options after `fleet`: `--full` never stops early; `--days N` runs N days and extrapolates to 30
 * (a quick look at 100,000 phones); `--only 10k|100k|heap` runs one measurement. Each run's heartbeat cost is also
 * printed against a bare Hono `app.request` round trip measured in the same run (these machines are shared).
 */
export interface FleetFigure {
  readonly devices: number;
  /** Days the goal is about (30). */
  readonly days: number;
  readonly daysReached: number;
  /** Enrolling the phones (registration and check-in). */
  readonly enrolSeconds: number;
  /** Enrolment and the days run. */
  readonly seconds: number;
  readonly heartbeats: number;
  readonly peakRssMb: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Lets closed worlds' last promise callbacks run (they hold the world until then), then collects twice. */
async function settledGc(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  gc();
}

async function populated(devices: number, seed = 1): Promise<World> {
  const world = await World.create({ seed, transport: "direct", fleet: {} });
  for (let i = 0; i < devices; i++) await world.addDevice({ accountId: `acct-${i}` });
  return world;
}

/** The heap one world of `devices` idle phones holds after a simulated day, per phone, after a forced GC. */
async function heapOfOneWorld(devices: number, seed: number): Promise<number> {
  await settledGc();
  const before = process.memoryUsage().heapUsed;
  const world = await populated(devices, seed);
  await world.runFor("P1D");
  await settledGc();
  const perPhone = (process.memoryUsage().heapUsed - before) / devices;
  await world.close();
  return perPhone;
}

export interface HeapPerPhone {
  /** The first world in the process: what each phone holds plus what the process loads and compiles once. */
  readonly cold: number;
  /** A second world, after the first has closed: what each phone holds. The goal's figure. (Another seed gives its
   * phones other device ids and tokens; IMEIs and account ids are the same as the first world's, built afresh.) */
  readonly warm: number;
}

/**
 * Heap per idle phone, in bytes. The first world of a process also pays for the modules it loads lazily and the
 * code V8 compiles and optimises for it (~1.2 MB, ~0.6 KB per phone at 2,000 phones), which no further phone costs;
 * the warm figure is measured on a second world after the first has closed.
 */
export async function heapPerIdlePhone(devices = 2000): Promise<HeapPerPhone> {
  const cold = await heapOfOneWorld(devices, 1);
  const warm = await heapOfOneWorld(devices, 2);
  return { cold, warm };
}

export interface FleetRunOptions {
  /** Stop once this many seconds have passed (default: never). */
  readonly stopAfterSeconds?: number;
  /** Days actually run (default: all of `days`). */
  readonly runDays?: number;
  readonly now?: () => number;
}

export async function fleetRun(devices: number, days: number, options: FleetRunOptions = {}): Promise<FleetFigure> {
  const now = options.now ?? (() => performance.now());
  const runDays = Math.min(days, options.runDays ?? days);
  const stopAfter = options.stopAfterSeconds ?? Infinity;
  const began = now();
  let peakRss = process.memoryUsage().rss;
  const world = await populated(devices);
  const enrolSeconds = (now() - began) / 1000;
  let daysReached = 0;
  while (daysReached < runDays && (now() - began) / 1000 < stopAfter) {
    await world.clock.advanceBy(DAY);
    daysReached += 1;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (now() - began) / 1000;
  const journal = world.journal as { foldedCount?: (type: string) => number };
  const heartbeats = (journal.foldedCount?.("heartbeat") ?? 0) + world.events({ type: "heartbeat" }).length;
  await world.close();
  return { devices, days, daysReached, enrolSeconds, seconds, heartbeats, peakRssMb: peakRss / 1024 / 1024 };
}

/** The whole goal's time: as measured, or enrolment plus the days run scaled to all of them. */
export function projectedSeconds(figure: FleetFigure): number {
  if (figure.daysReached >= figure.days || figure.daysReached === 0) return figure.seconds;
  return figure.enrolSeconds + ((figure.seconds - figure.enrolSeconds) * figure.days) / figure.daysReached;
}

/** "met", or "missed by X" in the goal's unit. */
export function verdict(value: number, goal: number, unit: string, digits = 0): string {
  return value <= goal ? `goal <=${goal} ${unit}: met` : `goal <=${goal} ${unit}: missed by ${(value - goal).toFixed(digits)} ${unit}`;
}

interface BenchArgs {
  readonly full: boolean;
  readonly days: number | undefined;
  readonly only: string | undefined;
}

function parseArgs(argv: readonly string[]): BenchArgs {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const days = at("--days");
  if (days !== undefined && !(Number.isSafeInteger(Number(days)) && Number(days) >= 1)) throw new RangeError(`--days must be a whole number >= 1, got ${days}`);
  return { full: argv.includes("--full"), days: days === undefined ? undefined : Number(days), only: at("--only") };
}

const bareApp = new Hono().post("/ping", async (c) => c.json({ ok: true, echo: await c.req.json() }));

async function baselineMicros(): Promise<number> {
  const ping = () => bareApp.request("/ping", { method: "POST", headers: { "content-type": "application/json" }, body: '{"seq":1}' });
  const rounds: number[] = [];
  for (let i = 0; i < 3; i++) rounds.push((await measure("bare Hono app.request round trip", ping, { minMs: 200 })).perOpMicros);
  return rounds.sort((a, b) => a - b)[1] ?? Number.NaN;
}

export async function fleetBench(argv: readonly string[] = process.argv.slice(3)): Promise<void> {
  const args = parseArgs(argv);
  const row = (name: string, value: string, note: string) => console.log(`${name.padEnd(56)} ${value.padStart(14)}  ${note}`);
  const baseline = await baselineMicros();
  row("baseline: bare Hono app.request round trip", `${baseline.toFixed(1)} µs`, "1.00x");
  if (args.only === undefined || args.only === "heap") {
    const heap = await heapPerIdlePhone();
    row("heap per idle phone (2,000 phones, 1 day, GC'd, warm)", `${(heap.warm / 1024).toFixed(2)} KB`, verdict(heap.warm / 1024, 2, "KB", 2));
    row("  in the process's first world (+ one-time code)", `${(heap.cold / 1024).toFixed(2)} KB`, "");
  }
  for (const [name, devices, budget, memoryMb] of [
    ["10k", 10_000, 30, Infinity],
    ["100k", 100_000, 300, 2048],
  ] as const) {
    if (args.only !== undefined && args.only !== name) continue;
    gc();
    const figure = await fleetRun(devices, 30, { runDays: args.days, ...(args.full ? {} : { stopAfterSeconds: budget * 2 }) });
    const projected = projectedSeconds(figure);
    const measured = figure.daysReached === figure.days;
    const label = `fleet journal: ${devices.toLocaleString("en")} phones x 30 days`;
    if (measured) row(label, `${figure.seconds.toFixed(1)} s`, verdict(figure.seconds, budget, "s"));
    else row(`${label} (EXTRAPOLATED from ${figure.daysReached} day${figure.daysReached === 1 ? "" : "s"})`, `~${projected.toFixed(0)} s`, verdict(projected, budget, "s"));
    row(`  of which enrolling ${devices.toLocaleString("en")} phones`, `${figure.enrolSeconds.toFixed(1)} s`, "");
    const daySeconds = figure.seconds - figure.enrolSeconds;
    const perSecond = figure.heartbeats / daySeconds;
    const perHeartbeatMicros = 1e6 / perSecond;
    row(`  heartbeats per second (${figure.heartbeats.toLocaleString("en")} in ${figure.daysReached} days)`, `${Math.round(perSecond)}`, `${perHeartbeatMicros.toFixed(1)} µs each, ${(perHeartbeatMicros / baseline).toFixed(2)}x the baseline`);
    row(`  heartbeats per second needed for the goal`, `${Math.round((figure.heartbeats * (figure.days / Math.max(1, figure.daysReached))) / Math.max(1e-9, budget - figure.enrolSeconds))}`, "");
    const rssNote = Number.isFinite(memoryMb) ? verdict(figure.peakRssMb, memoryMb, "MB") + (measured ? "" : ` (over the ${figure.daysReached} days run)`) : "";
    row(`  peak RSS`, `${figure.peakRssMb.toFixed(0)} MB`, rssNote);
  }
}
