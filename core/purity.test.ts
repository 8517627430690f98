import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Keeps every run deterministic: outside the wall adapter (core/wall-clock.ts), nothing in the core, the
 * protocol, the lock service, the device simulator, the scenarios or the studio's server reads real time, arms a real timer or
 * draws an unseeded random number. Tests and the process entry point (studio/serve.ts, which needs
 * secure random keys) are the only other exceptions.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FOLDERS = ["core", "protocol", "mock-server", "device-sim", "scenarios", "studio"];
const ALLOWED = new Set(["core/wall-clock.ts", "studio/serve.ts"]);
/**
 * The studio's browser code and its browser-test harness run against real time by nature: they are edges. So is
 * the `--data` adapter (mock-server/durable/): a process entry like serve.ts, it saves the clock once a second.
 */
const EDGE_FOLDERS = ["studio/client/", "studio/browser/", "mock-server/durable/"];
const FORBIDDEN = [
  /\bDate\.now\s*\(/,
  /new\s+Date\s*\(\s*\)/,
  /\bset(?:Timeout|Interval|Immediate)\s*\(/,
  /\bperformance\.now\s*\(/,
  /\bMath\.random\s*\(/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.includes("test-helpers") ? [path] : [];
  });
}

describe("determinism", () => {
  it("no source outside the wall adapter reads real time, arms a real timer or draws an unseeded random number", () => {
    const offenders = FOLDERS.flatMap((folder) => sources(join(ROOT, folder)))
      .map((path) => relative(ROOT, path))
      .filter((path) => !ALLOWED.has(path) && !EDGE_FOLDERS.some((folder) => path.startsWith(folder)))
      .flatMap((path) =>
        readFileSync(join(ROOT, path), "utf8")
          .split("\n")
          .flatMap((line, i) => (FORBIDDEN.some((rule) => rule.test(line)) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});
