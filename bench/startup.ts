import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Start-up as a user sees it: `heartlock run <small scenario>` as a whole process, against `node -e 0`
 * measured in the same run, interleaved, median of `rounds`. The bin runs the TypeScript through tsx today;
 * built JavaScript (issue 10) removes the compile-on-load cost.
 */
const BIN = fileURLToPath(new URL("../bin/heartlock.js", import.meta.url));

function wallMs(args: readonly string[]): number {
  const t0 = performance.now();
  const out = spawnSync(process.execPath, args, { stdio: "ignore" });
  if (out.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${out.status}`);
  return performance.now() - t0;
}

export function startup(rounds = 5): { nodeMs: number; runMs: number } {
  const command = [BIN, "run", "on-time-payer", "--transport", "direct", "--reporter", "json"];
  wallMs(["-e", "0"]);
  wallMs(command); // warm the file cache and tsx's transform cache
  const node: number[] = [];
  const run: number[] = [];
  for (let i = 0; i < rounds; i++) {
    node.push(wallMs(["-e", "0"]));
    run.push(wallMs(command));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return { nodeMs: median(node), runMs: median(run) };
}
