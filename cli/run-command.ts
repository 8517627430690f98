import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { ScenarioError } from "../scenarios/format/problems.ts";
import { libraryFiles, plansFromFile } from "../scenarios/library.ts";
import { machineReporters, reporters, type InvalidScenario, type ReporterName } from "../scenarios/report/index.ts";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { runScenario } from "../scenarios/run-scenario.ts";
import { EXIT, useColor, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";
import { outFileProblem, writeOut } from "./out-file.ts";
import { progressLine } from "./progress.ts";
import type { JobThreads } from "./jobs.ts";
import { summary, type RunTask, type VariantSummary } from "./plan-cache.ts";
import { readTarget } from "./target-options.ts";
import { jobCount, type WorkerPool } from "./worker-pool.ts";
import { TargetUnavailable, type Target } from "../scenarios/target/target-wire.ts";

const TRANSPORTS = ["in-process", "http", "direct"] as const;
type Transport = (typeof TRANSPORTS)[number];

/**
 * `heartlock run <file|name>...`: every file is checked before any runs, so a typo costs no waiting. An
 * invalid file stops a human-readable run before it starts; for the reporters tools read (json, junit,
 * github) it is reported inside the report beside the runs of the valid files. Either way the exit code is 2.
 */
export async function runCommand(names: readonly string[], options: CliOptions, io: Io, workers?: WorkerPool): Promise<number> {
  const reporterName = options.reporter ?? "pretty";
  if (!isReporter(reporterName)) return usage(io, `unknown reporter "${reporterName}"; use ${Object.keys(reporters).join(", ")}`);
  const transport = options.transport ?? "in-process";
  if (!isTransport(transport)) return usage(io, `unknown transport "${transport}"; use ${TRANSPORTS.join(", ")}`);
  const journal = options.journal ?? "full";
  if (journal !== "full" && journal !== "fleet") return usage(io, `unknown journal mode "${journal}"; use full or fleet`);
  if (names.length === 0) return usage(io, 'name at least one scenario file or library name (or "all")');
  const seed = seedOption(options.seed);
  if (seed instanceof Error) return usage(io, seed.message);
  const jobs = jobCount(options.jobs);
  if (jobs === undefined) return usage(io, `--jobs takes a whole number of threads from 1 to 999, not "${options.jobs}"`);
  let grep: RegExp | undefined;
  try {
    grep = options.grep === undefined ? undefined : new RegExp(options.grep, "i");
  } catch (error) {
    return usage(io, `--grep is not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
  let target: Target | undefined;
  if (options.target !== undefined) {
    const read = readTarget("run", options.target, options.keys);
    if ("problem" in read) return ioError(io, read.problem);
    if (jobs > 1) return usage(io, "--target plays one scenario at a time (the target has one clock); leave out --jobs");
    if (options.transport !== undefined) return usage(io, "--target is the transport: leave out --transport");
    target = { url: read.url.origin, keys: read.keys };
  } else if (options.keys !== undefined) return usage(io, "--keys goes with --target");
  if (options.out !== undefined) {
    const problem = outFileProblem(options.out);
    if (problem !== undefined) return ioError(io, problem);
  }
  const settings: RunSettings = { reporterName, transport, journal, jobs, grep, ...(seed !== undefined ? { seed } : {}), ...(target ? { target } : {}), ...(workers ? { workers } : {}) };
  if (options.watch) return (await import("./watch.ts")).watchRuns(names, options, io, () => runOnce(names, options, io, settings));
  return runOnce(names, options, io, settings);
}

/**
 * `--seed`: a whole number (as a file's `seed:`, a safe integer) or a word; digits beyond a safe integer would
 * round to another seed, so they are refused rather than run with a seed nobody wrote.
 */
function seedOption(text: string | undefined): number | string | Error | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === "") return new Error("--seed needs a value: a whole number or a word");
  if (!/^-?\d+$/.test(text)) return text;
  const seed = Number(text);
  return Number.isSafeInteger(seed) ? seed : new Error(`--seed ${text} is too big: a numeric seed must be within ±${Number.MAX_SAFE_INTEGER} (or use a word)`);
}

interface RunSettings {
  readonly seed?: number | string;
  readonly reporterName: ReporterName;
  readonly transport: Transport;
  readonly journal: "full" | "fleet";
  readonly jobs: number;
  readonly grep: RegExp | undefined;
  /** Another lock service to play against (`--target`), instead of Heartlock's mock. */
  readonly target?: Target;
  /** `--jobs` threads started before the runner was loaded (cli/main.ts); used by one run only. */
  readonly workers?: WorkerPool;
}

export async function runOnce(names: readonly string[], options: CliOptions, io: Io, settings: RunSettings): Promise<number> {
  const { jobs, workers } = settings;
  // --jobs: the files are planned and played on that many threads (cli/jobs.ts); the same reports come out.
  const threads = jobs > 1 ? new (await import("./jobs.ts")).JobThreads(jobs, workers) : undefined;
  try {
    return await runAndReport(names, options, io, settings, threads);
  } finally {
    await threads?.close();
  }
}

/** A run to choose (--tag, --grep) and play: what is known of it (its plan too, when this thread made it). */
interface Candidate extends VariantSummary {
  readonly task: RunTask;
  readonly plan?: ScenarioPlan;
}

async function runAndReport(names: readonly string[], options: CliOptions, io: Io, settings: RunSettings, threads: JobThreads | undefined): Promise<number> {
  const { reporterName, transport, journal, grep, target, seed } = settings;
  const files = names.flatMap((name) => (name === "all" ? libraryFiles() : [name]));
  const taskOf = (file: string, variant: number): RunTask => ({ file, variant, transport, journal, ...(seed !== undefined ? { seed } : {}) });
  const candidates: Candidate[] = [];
  const invalid: InvalidScenario[] = [];
  const refuse = (error: ScenarioError) => {
    invalid.push({ file: error.file, problems: error.problems });
    io.stderr(`${error.message}\n`);
  };
  if (threads) {
    for (const [index, outcome] of (await threads.plan(files)).entries()) {
      if ("invalid" in outcome) refuse(new ScenarioError(outcome.invalid.file, outcome.invalid.problems));
      else outcome.variants.forEach((variant, n) => candidates.push({ ...variant, task: taskOf(variant.file ?? (files[index] as string), n) }));
    }
  } else {
    for (const file of files) {
      try {
        plansFromFile(file).forEach((plan, variant) => candidates.push({ ...summary(plan), plan, task: taskOf(plan.file ?? file, variant) }));
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        refuse(error);
      }
    }
  }
  if (invalid.length > 0 && !machineReporters.includes(reporterName)) return EXIT.invalid;

  const tags = options.tag ?? [];
  const chosen = candidates.filter((candidate) => (tags.length === 0 || candidate.tags.some((tag) => tags.includes(tag))) && (grep === undefined || grep.test(candidate.name) || grep.test(candidate.title)));
  if (chosen.length === 0 && invalid.length === 0) {
    io.stderr(`heartlock run: no scenario matches${tags.length ? ` --tag ${tags.join(", ")}` : ""}${grep ? ` --grep ${grep.source}` : ""}\n`);
    return EXIT.invalid;
  }

  let results: ScenarioResult[];
  // The target became unusable part-way (its clock passed the next scenario's start): what ran is still reported.
  let unusable: string | undefined;
  if (threads) results = await threads.run(chosen.map(({ task }) => task), chosen.map(({ weight }) => weight));
  else {
    results = [];
    const progress = io.stderrIsTty ? (text: string) => io.stderr(`\r\x1b[2K${text}`) : undefined;
    for (const [index, { plan, task }] of chosen.entries()) {
      if (plan === undefined) throw new Error(`${task.file}: a serial run has every plan`);
      try {
        results.push(
          await runScenario(plan, {
            transport,
            journal,
            ...(seed !== undefined ? { seed } : {}),
            ...(target ? { target } : {}),
            ...(progress ? { onProgress: (step) => progress(progressLine(plan, index, chosen.length, step)) } : {}),
          }),
        );
      } catch (error) {
        // The target cannot be used (unreachable, refuses its reset, its clock is past the start). Before any run:
        // nothing to report. After some: they are reported, and the rest are named as not run.
        if (!(error instanceof TargetUnavailable)) throw error;
        if (progress) io.stderr("\r\x1b[2K");
        if (results.length === 0) return ioError(io, `heartlock run: ${error.message}`);
        const left = chosen.length - index;
        unusable = `heartlock run: ${left} scenario${left === 1 ? "" : "s"} not run, from ${plan.name}: ${error.message}`;
        break;
      }
    }
    if (progress) io.stderr("\r\x1b[2K");
  }

  const report = reporters[reporterName](results, {
    color: options.out === undefined && useColor(io),
    verbose: options.verbose === true,
    timings: options.timings === true,
    invalid,
    root: process.cwd(),
  });
  if (options.out === undefined) io.stdout(report.endsWith("\n") ? report : `${report}\n`);
  else {
    const problem = writeOut(() => io.writeFile(options.out ?? "", report), options.out);
    if (problem !== undefined) return ioError(io, problem);
    const failed = results.filter((result) => !result.passed && result.skipped === undefined).length;
    io.stderr(`${results.length} scenario${results.length === 1 ? "" : "s"}, ${failed} failed${invalid.length ? `, ${invalid.length} invalid` : ""}; ${reporterName} report written to ${options.out}\n`);
  }
  if (unusable !== undefined) return ioError(io, unusable);
  if (invalid.length > 0) return EXIT.invalid;
  // A skipped scenario (it needs Heartlock's own mock) is not a failure; the reports say it was skipped.
  return results.every((result) => result.passed || result.skipped !== undefined) ? EXIT.ok : EXIT.failed;
}

function usage(io: Io, message: string): number {
  io.stderr(`heartlock run: ${message}\n`);
  return EXIT.invalid;
}

function ioError(io: Io, line: string): number {
  io.stderr(`${line}\n`);
  return EXIT.invalid;
}

function isReporter(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name);
}

function isTransport(name: string): name is Transport {
  return (TRANSPORTS as readonly string[]).includes(name);
}
