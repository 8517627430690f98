import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { libraryFiles, planFromFile } from "../scenarios/library.ts";
import { reporters } from "../scenarios/report/index.ts";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { runScenario } from "../scenarios/run-scenario.ts";
import { EXIT, useColor, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";
import { describeLoadError } from "./validate-command.ts";
import { progressLine } from "./progress.ts";

const TRANSPORTS = ["in-process", "http", "direct"] as const;
type Transport = (typeof TRANSPORTS)[number];

/** `heartlock run <file|name>...`: every file is checked before any runs, so a typo costs no waiting. */
export async function runCommand(names: readonly string[], options: CliOptions, io: Io): Promise<number> {
  const reporterName = options.reporter ?? "pretty";
  if (!isReporter(reporterName)) return usage(io, `unknown reporter "${reporterName}"; use ${Object.keys(reporters).join(", ")}`);
  const transport = options.transport ?? "in-process";
  if (!isTransport(transport)) return usage(io, `unknown transport "${transport}"; use ${TRANSPORTS.join(", ")}`);
  const journal = options.journal ?? "full";
  if (journal !== "full" && journal !== "fleet") return usage(io, `unknown journal mode "${journal}"; use full or fleet`);
  if (names.length === 0) return usage(io, 'name at least one scenario file or library name (or "all")');
  const seed = options.seed === undefined ? undefined : /^-?\d+$/.test(options.seed) ? Number(options.seed) : options.seed;

  const files = names.flatMap((name) => (name === "all" ? libraryFiles() : [name]));
  const plans: ScenarioPlan[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const loaded = describeLoadError(() => planFromFile(file));
    if (typeof loaded === "string") problems.push(loaded);
    else plans.push(loaded);
  }
  if (problems.length > 0) {
    io.stderr(`${problems.join("\n")}\n`);
    return EXIT.invalid;
  }

  const results: ScenarioResult[] = [];
  const progress = io.stderrIsTty ? (text: string) => io.stderr(`\r\x1b[2K${text}`) : undefined;
  for (const [index, plan] of plans.entries()) {
    results.push(
      await runScenario(plan, {
        transport,
        journal,
        ...(seed !== undefined ? { seed } : {}),
        ...(progress ? { onProgress: (step) => progress(progressLine(plan, index, plans.length, step)) } : {}),
      }),
    );
  }
  if (progress) io.stderr("\r\x1b[2K");

  const report = reporters[reporterName](results, { color: options.out === undefined && useColor(io), verbose: options.verbose === true });
  if (options.out === undefined) io.stdout(report.endsWith("\n") ? report : `${report}\n`);
  else {
    io.writeFile(options.out, report);
    const failed = results.filter((result) => !result.passed).length;
    io.stderr(`${results.length} scenario${results.length === 1 ? "" : "s"}, ${failed} failed; ${reporterName} report written to ${options.out}\n`);
  }
  return results.every((result) => result.passed) ? EXIT.ok : EXIT.failed;
}

function usage(io: Io, message: string): number {
  io.stderr(`heartlock run: ${message}\n`);
  return EXIT.invalid;
}

function isReporter(name: string): name is keyof typeof reporters {
  return Object.hasOwn(reporters, name);
}

function isTransport(name: string): name is Transport {
  return (TRANSPORTS as readonly string[]).includes(name);
}
