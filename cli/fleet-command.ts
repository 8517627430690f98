import { EXIT, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";
import { runNetworkFleet } from "./network-fleet.ts";
import { targetPathProblem } from "./target-options.ts";

/** `heartlock fleet --target URL --devices N`: a network fleet against a separate `heartlock serve`. */
export async function fleetCommand(options: CliOptions, io: Io): Promise<number> {
  const number = (text: string | undefined, fallback: number, name: string, max: number): number | string => {
    if (text === undefined) return fallback;
    const value = Number(text);
    return Number.isInteger(value) && value >= 1 && value <= max ? value : `--${name} takes a whole number from 1 to ${max}, not "${text}"`;
  };
  if (options.target === undefined) return usage(io, "--target URL is required (a heartlock serve on loopback, e.g. http://127.0.0.1:8080)");
  if (options.reporter !== undefined && options.reporter !== "json" && options.reporter !== "pretty") return usage(io, `unknown reporter "${options.reporter}"; use pretty (default) or json`);
  if (URL.canParse(options.target)) {
    const path = targetPathProblem(new URL(options.target));
    if (path !== undefined) return usage(io, path);
  }
  const devices = number(options.devices, 1000, "devices", 1_000_000);
  const seconds = number(options.seconds, 10, "seconds", 600);
  const connections = number(options.connections, 32, "connections", 1024);
  const inFlight = number(options["in-flight"], 128, "in-flight", 10_000);
  for (const value of [devices, seconds, connections, inFlight]) if (typeof value === "string") return usage(io, value);
  const lenderKey = options["lender-key"] ?? process.env.HEARTLOCK_FLEET_LENDER_KEY ?? "lender-a-key";
  try {
    const report = await runNetworkFleet({
      target: options.target,
      devices: devices as number,
      seconds: seconds as number,
      connections: connections as number,
      inFlight: inFlight as number,
      lenderKey,
      onProgress: (text) => io.stderr(`${text}\n`),
    });
    if (options.reporter === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout(
        [
          `${report.devices} phones, ${report.heartbeats} heartbeats in ${report.seconds} s: ${report.perSecond} heartbeats/s`,
          `latency p50 ${report.p50Ms.toFixed(2)} ms, p99 ${report.p99Ms.toFixed(2)} ms, max ${report.maxMs.toFixed(2)} ms`,
          `errors ${report.errors}, bad signatures ${report.badSignatures}${report.errorSamples.length ? `\n  ${report.errorSamples.join("\n  ")}` : ""}`,
          "",
        ].join("\n"),
      );
    }
    return report.errors === 0 && report.badSignatures === 0 ? EXIT.ok : EXIT.failed;
  } catch (error) {
    io.stderr(`heartlock fleet: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.invalid;
  }
}

function usage(io: Io, message: string): number {
  io.stderr(`heartlock fleet: ${message}\n`);
  return EXIT.invalid;
}
