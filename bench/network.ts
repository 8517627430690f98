import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { runNetworkFleet } from "../cli/network-fleet.ts";

/**
 * `npm run bench -- network`: `heartlock serve` in its own process, and this process as the device side
 * (what `heartlock fleet` runs) driving 10,000 phones' heartbeats over one undici Pool. Goal: >= 15k/s.
 * Both processes share the machine's two cores, so each can have at most one.
 */
const BIN = fileURLToPath(new URL("../bin/heartlock.js", import.meta.url));

export async function networkBench(): Promise<void> {
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: { ...process.env, PORT: "0", HEARTLOCK_CLOCK: "manual", HEARTLOCK_LENDER_KEYS: "lender-a:bench-lender-key" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (line) => {
        const match = /^\s+URL\s+(\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`heartlock serve exited with ${code}`)));
    });
    const report = await runNetworkFleet({ target: url, devices: 10_000, seconds: Number(process.env.HEARTLOCK_BENCH_SECONDS ?? 15), connections: 32, inFlight: 256, lenderKey: "bench-lender-key" });
    const row = (name: string, value: string, verdict = "") => console.log(`${name.padEnd(52)} ${value.padStart(16)}  ${verdict}`);
    row("network fleet: 10,000 phones -> heartlock serve", `${report.perSecond} hb/s`, report.perSecond >= 15_000 ? "goal >=15k/s: met" : `goal >=15k/s: MISSED (${(report.perSecond / 15_000).toFixed(2)}x of it)`);
    row("  latency p50 / p99", `${report.p50Ms.toFixed(1)} / ${report.p99Ms.toFixed(1)} ms`);
    row("  heartbeats, errors, bad signatures", `${report.heartbeats}, ${report.errors}, ${report.badSignatures}`);
  } finally {
    child.kill("SIGTERM");
  }
}
