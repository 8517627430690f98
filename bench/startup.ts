import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Start-up as a user sees it, whole processes of the built bin (dist/, so run `npm run build` first):
 * `heartlock run <small scenario>` (goal ≤ 0.5 s), `heartlock run all`, the library (goal < 2 s), and the library
 * with `--jobs 2` (goal: faster than the serial run, on the same 2 cores), each
 * against `node -e 0` measured in the same run. One warm-up round of each (the file cache), then `rounds`
 * rounds interleaved (baseline, small, library, ...), medians compared: on a shared machine only the ratio
 * travels, the absolute seconds say whether the goal is met here and now.
 */
const BIN = fileURLToPath(new URL("../bin/heartlock.js", import.meta.url));
const BUILT = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

export interface StartupFigures {
  readonly nodeMs: number;
  readonly nodeSpreadMs: readonly [number, number];
  readonly smallMs: number;
  readonly libraryMs: number;
  /** `heartlock run all --jobs 2`, interleaved with the serial library run (issue 13: faster on 2 cores). */
  readonly libraryJobs2Ms: number;
  readonly small: string;
}

function wallMs(args: readonly string[]): number {
  // The bin runs dist/ unless HEARTLOCK_FROM_SOURCE=1 (which the test suite sets): measure what a user runs.
  const env = { ...process.env };
  delete env.HEARTLOCK_FROM_SOURCE;
  const t0 = performance.now();
  const out = spawnSync(process.execPath, args, { stdio: "ignore", env });
  if (out.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${out.status}`);
  return performance.now() - t0;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export function startup(rounds = 7, small = "reboot-and-reset-keep-the-lock"): StartupFigures {
  if (!existsSync(BUILT)) throw new Error("bench startup measures the built bin: run `npm run build` first");
  const baseline = ["-e", "0"];
  const smallRun = [BIN, "run", small, "--reporter", "json"];
  const library = [BIN, "run", "all", "--reporter", "json"];
  const libraryJobs2 = [...library, "--jobs", "2"];
  for (const args of [baseline, baseline, smallRun, library, libraryJobs2]) wallMs(args); // warm-up
  const node: number[] = [];
  const smallMs: number[] = [];
  const libraryMs: number[] = [];
  const libraryJobs2Ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    node.push(wallMs(baseline));
    smallMs.push(wallMs(smallRun));
    node.push(wallMs(baseline));
    libraryMs.push(wallMs(library));
    libraryJobs2Ms.push(wallMs(libraryJobs2));
  }
  return { nodeMs: median(node), nodeSpreadMs: [Math.min(...node), Math.max(...node)], smallMs: median(smallMs), libraryMs: median(libraryMs), libraryJobs2Ms: median(libraryJobs2Ms), small };
}

/** The verdict beside a figure: "goal ≤0.5 s: met" or "goal ≤0.5 s: MISSED by 0.12 s". */
export function goal(ms: number, limitMs: number, label: string): string {
  return ms <= limitMs ? `goal ${label}: met` : `goal ${label}: MISSED by ${((ms - limitMs) / 1000).toFixed(2)} s`;
}

export function startupRows(s: StartupFigures, row: (name: string, value: string, ratio: string) => string): string[] {
  const rounds = `median, interleaved`;
  return [
    row(`start-up: node -e 0 (${rounds}; ${s.nodeSpreadMs[0].toFixed(0)}–${s.nodeSpreadMs[1].toFixed(0)} ms)`, `${s.nodeMs.toFixed(0)} ms`, "1.00x"),
    row(`  heartlock run ${s.small}, whole process`, `${(s.smallMs / 1000).toFixed(2)} s`, `${(s.smallMs / s.nodeMs).toFixed(1)}x`),
    row(`    ${goal(s.smallMs, 500, "≤0.5 s")} (${(500 / s.nodeMs).toFixed(1)}x node -e 0 here)`, "", ""),
    row("  heartlock run all (the library), whole process", `${(s.libraryMs / 1000).toFixed(2)} s`, `${(s.libraryMs / s.nodeMs).toFixed(1)}x`),
    row(`    ${goal(s.libraryMs, 2000, "<2 s")} (${(2000 / s.nodeMs).toFixed(1)}x node -e 0 here)`, "", ""),
    row("  heartlock run all --jobs 2, whole process (vs the serial library run)", `${(s.libraryJobs2Ms / 1000).toFixed(2)} s`, `${(s.libraryJobs2Ms / s.libraryMs).toFixed(2)}x`),
    row(`    goal faster than serial: ${s.libraryJobs2Ms < s.libraryMs ? `met, ${((1 - s.libraryJobs2Ms / s.libraryMs) * 100).toFixed(0)} % less time` : `MISSED by ${((s.libraryJobs2Ms - s.libraryMs) / 1000).toFixed(2)} s`} (needs the machine's cores free: \`uptime\`)`, "", ""),
  ];
}
