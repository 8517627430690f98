import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * `npm run bench -- wire`: the real heartbeat (what `npm start` serves) against a bare Hono route on the same
 * node adapter, each in its own process, loaded in turn by wrk on loopback (interleaved rounds, median kept).
 * wrk comes from Debian: `sudo apt-get install -y wrk`. Goal: real >= 0.8x bare. WireMock is not measured: it
 * would need a Java jar fetched from outside the npm registry at run time, which this machine cannot do.
 */
const HERE = new URL(".", import.meta.url).pathname;
const ROUNDS = Number(process.env.HEARTLOCK_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.HEARTLOCK_BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startServer(kind: "real" | "bare", devicesFile: string): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", join(HERE, "wire-server.ts"), kind, devicesFile], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

interface WrkRound {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

let runs = 0;

function wrk(url: string, devicesFile: string): WrkRound {
  runs += 1;
  const seqBase = String(runs * 1_000_000);
  const out = spawnSync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--latency", "-s", join(HERE, "heartbeat.lua"), url, "--", devicesFile, seqBase], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr || out.stdout}`);
  const text = out.stdout;
  const ms = (label: string) => {
    const match = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return { perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN), p50Ms: ms("50"), p99Ms: ms("99"), errors };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function wireBench(): Promise<void> {
  if (spawnSync("wrk", ["--version"]).error) {
    console.log("wire: wrk is not installed (sudo apt-get install -y wrk); skipped");
    return;
  }
  const devicesFile = join(mkdtempSync(join(tmpdir(), "heartlock-wire-")), "phones.txt");
  const real = await startServer("real", devicesFile);
  const bare = await startServer("bare", devicesFile);
  try {
    wrk(real.url, devicesFile); // warm-up, both
    wrk(bare.url, devicesFile);
    const rounds: { real: WrkRound; bare: WrkRound }[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push({ real: wrk(real.url, devicesFile), bare: wrk(bare.url, devicesFile) });
    const realRate = median(rounds.map((r) => r.real.perSecond));
    const bareRate = median(rounds.map((r) => r.bare.perSecond));
    const row = (name: string, value: string, ratio: string) => console.log(`${name.padEnd(52)} ${value.padStart(16)} ${ratio.padStart(14)}`);
    row(`wire: wrk -t1 -c${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${SECONDS} s`, "req/s (median)", "vs bare Hono");
    row("  bare Hono route, @hono/node-server (baseline)", bareRate.toFixed(0), "1.00x");
    const ratio = realRate / bareRate;
    row("  real heartbeat (studio, as npm start serves it)", realRate.toFixed(0), `${ratio.toFixed(2)}x ${ratio >= 0.8 ? "goal >=0.8x: met" : `goal >=0.8x: MISSED by ${(0.8 - ratio).toFixed(2)}`}`);
    const last = rounds[rounds.length - 1] as { real: WrkRound; bare: WrkRound };
    row("  real heartbeat latency p50 / p99 (last round)", `${last.real.p50Ms.toFixed(2)} / ${last.real.p99Ms.toFixed(2)} ms`, "");
    row("  errors (non-2xx + socket), all rounds", `${rounds.reduce((n, r) => n + r.real.errors, 0)} real, ${rounds.reduce((n, r) => n + r.bare.errors, 0)} bare`, "");
    row("  WireMock", "not measured", "see bench/wire.ts");
  } finally {
    real.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  }
}
