import { checkConformance, NEEDS_HEARTLOCK, type RuleResult } from "../conformance/rules.ts";
import { poolTransport } from "../device-sim/transports/pool.ts";
import { TransportError } from "../device-sim/transports/transport.ts";
import { EXIT, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";
import { readTarget } from "./target-options.ts";

/**
 * `heartlock conformance --target <url> [--keys <file>]`: checks another implementation of PROTOCOL.md rule
 * by rule through its HTTP API (it is reset and driven on its /v1/sim/clock), and prints the table. Without
 * --keys it uses Heartlock's well-known test keys (admin-key, support-key, lender-a:lender-a-key).
 */
export async function conformanceCommand(_args: readonly string[], options: CliOptions, io: Io): Promise<number> {
  if (options.target === undefined) return fail(io, "heartlock conformance: --target <url> names the lock service to check");
  const read = readTarget("conformance", options.target, options.keys);
  if ("problem" in read) return fail(io, read.problem);
  const { url, keys } = read;
  const transport = poolTransport(url.origin);
  let results: RuleResult[];
  try {
    results = await checkConformance(transport, keys);
  } catch (error) {
    if (error instanceof TransportError) return fail(io, `heartlock conformance: ${url.origin} cannot be reached: ${error.message}`);
    return fail(io, `heartlock conformance: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await transport.close?.();
  }
  io.stdout(options.reporter === "json" ? `${JSON.stringify({ target: url.origin, rules: results, notChecked: NEEDS_HEARTLOCK }, null, 2)}\n` : table(url.origin, results));
  return results.every((result) => result.status !== "failed") ? EXIT.ok : EXIT.failed;
}

function table(target: string, results: readonly RuleResult[]): string {
  const width = Math.max(...results.map((result) => result.id.length));
  const lines = [`Conformance of ${target} to PROTOCOL.md`, ""];
  for (const result of results) {
    lines.push(`  ${result.status === "passed" ? "✓" : result.status === "failed" ? "✗" : "-"} ${result.id.padEnd(width)}  ${result.rule}`);
    if (result.detail !== undefined) lines.push(`    ${" ".repeat(width)}  ${result.detail}`);
  }
  const failed = results.filter((result) => result.status === "failed").length;
  lines.push("", `${results.length} rules: ${results.length - failed} passed, ${failed} failed`, "", "Not checked here (they need Heartlock's own mock):", ...NEEDS_HEARTLOCK.map((item) => `  - ${item}`));
  return `${lines.join("\n")}\n`;
}

function fail(io: Io, line: string): number {
  io.stderr(`${line}\n`);
  return EXIT.invalid;
}
