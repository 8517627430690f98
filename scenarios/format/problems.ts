/** Where a scenario is wrong, in words and, when it came from a file, by line and column. */
export interface ScenarioProblem {
  readonly message: string;
  /** The path inside the scenario, e.g. ["timeline", 3, "after"]. */
  readonly path: readonly (string | number)[];
  readonly line?: number;
  readonly column?: number;
}

/** A scenario that cannot run: a YAML syntax error, a schema violation or a reference to nothing. */
export class ScenarioError extends Error {
  readonly code = "invalid_scenario";

  constructor(
    readonly file: string,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(problems.map((problem) => formatProblem(file, problem)).join("\n"));
    this.name = "ScenarioError";
  }
}

/** "library/x.yaml:12:5: timeline[3].after: must be an ISO-8601 duration …", the shape editors link. */
export function formatProblem(file: string, problem: ScenarioProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  const path = formatPath(problem.path);
  return `${where}: ${path ? `${path}: ` : ""}${problem.message}`;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}

/** Finds the line and column of a path in the source, when there is one. */
export type Locate = (path: readonly (string | number)[], key?: string) => { line: number; column: number } | undefined;

export const nowhere: Locate = () => undefined;
