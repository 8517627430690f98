import { relative, sep } from "node:path";
import type { ScenarioProblem } from "../format/problems.ts";
import type { ScenarioResult } from "../run/result.ts";

export interface ReporterOptions {
  /** ANSI colours (pretty only); without it the output holds no escape code at all. */
  readonly color?: boolean;
  /** Every event, routine ones included, instead of the narrated highlights. */
  readonly verbose?: boolean;
  /** Files that could not be run (invalid or unreadable): machine reporters list them as errors beside the runs. */
  readonly invalid?: readonly InvalidScenario[];
  /** json: include real timings (wallMs, ranAt, per-step times); without them the same seed gives the same bytes. */
  readonly timings?: boolean;
  /** Files are named relative to this folder (the CLI passes its working directory), as CI annotations expect. */
  readonly root?: string;
}

/** A file the runner refused, with every problem and where it is. */
export interface InvalidScenario {
  readonly file: string;
  readonly problems: readonly ScenarioProblem[];
}

/** Turns finished runs into one document. Pure: the same results give the same text. */
export type Reporter = (results: readonly ScenarioResult[], options: ReporterOptions) => string;

/** A file as the report names it: relative to `root` with forward slashes, or as given. */
export function reportedFile(file: string, options: ReporterOptions): string {
  if (options.root === undefined) return file;
  const shown = relative(options.root, file) || file;
  return shown.split(sep).join("/");
}
