import { readFileSync } from "node:fs";
import { z } from "zod";
import { checkConformance, NEEDS_HEARTLOCK, type RuleResult } from "../conformance/rules.ts";
import { poolTransport } from "../device-sim/transports/pool.ts";
import { TransportError } from "../device-sim/transports/transport.ts";
import type { Keys } from "../mock-server/auth.ts";
import { testKeys } from "../mock-server/create.ts";
import { ioReason } from "../scenarios/library.ts";
import { EXIT, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";

const KeysFile = z.strictObject({ admin: z.string().min(1), support: z.string().min(1), lenders: z.record(z.string(), z.string().min(1)) });

/**
 * `heartlock conformance --target <url> [--keys <file>]`: checks another implementation of PROTOCOL.md rule
 * by rule through its HTTP API (it is reset and driven on its /v1/sim/clock), and prints the table. Without
 * --keys it uses Heartlock's well-known test keys (admin-key, support-key, lender-a:lender-a-key).
 */
export async function conformanceCommand(_args: readonly string[], options: CliOptions, io: Io): Promise<number> {
  if (options.target === undefined) return fail(io, "heartlock conformance: --target <url> names the lock service to check");
  let url: URL;
  try {
    url = new URL(options.target);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    return fail(io, `heartlock conformance: --target "${options.target}" is not an http(s) URL`);
  }
  let keys: Keys = testKeys;
  if (options.keys !== undefined) {
    try {
      const parsed = KeysFile.safeParse(JSON.parse(readFileSync(options.keys, "utf8")));
      if (!parsed.success) return fail(io, `heartlock conformance: ${options.keys}: expected { admin, support, lenders: { id: key } }: ${parsed.error.issues[0]?.message ?? ""}`);
      keys = parsed.data;
    } catch (error) {
      return fail(io, `heartlock conformance: cannot read ${options.keys}: ${error instanceof SyntaxError ? error.message : ioReason(error)}`);
    }
  }
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
