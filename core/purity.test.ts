import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Keeps the core deterministic: only the wall adapter may read real time or arm real timers.
const ALLOWED = new Set(["wall-clock.ts", "purity.test.ts"]);
const FORBIDDEN = [
  /\bDate\.now\s*\(/,
  /new\s+Date\s*\(\s*\)/,
  /\bset(?:Timeout|Interval|Immediate)\s*\(/,
  /\bperformance\.now\s*\(/,
  /\bMath\.random\s*\(/,
];

describe("the core", () => {
  it("reads no real time and arms no real timer outside wall-clock.ts", () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const offenders = readdirSync(dir)
      .filter((name) => name.endsWith(".ts") && !ALLOWED.has(name))
      .flatMap((name) =>
        readFileSync(dir + name, "utf8")
          .split("\n")
          .flatMap((line, i) => (FORBIDDEN.some((rule) => rule.test(line)) ? [`${name}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});
