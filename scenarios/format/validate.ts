import type { z } from "zod";
import { ScenarioError, type Locate, type ScenarioProblem } from "./problems.ts";
import { Scenario } from "./schema.ts";

/** Checks plain data against the scenario schema; every problem is reported, each at its own line. */
export function validateScenario(data: unknown, file: string, locate: Locate): Scenario {
  const parsed = Scenario.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => explain(issue, []));
  throw new ScenarioError(
    file,
        // An unknown key is pointed at the key itself, not at its value.
    problems.map(({ key, ...problem }) => ({ ...problem, ...locate(key === undefined ? problem.path : problem.path.slice(0, -1), key) })),
  );
}

type Problem = ScenarioProblem & { key?: string };
type Path = (string | number)[];

function explain(issue: z.core.$ZodIssue, prefix: Path): Problem[] {
  const path: Path = [...prefix, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ message: `unknown key "${key}"`, path: [...path, key], key }));
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // A plain union (the three kinds of expectation) reports every branch's complaints; the branch that
    // came closest is the one the author meant.
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    return closest.flatMap((inner) => explain(inner, path));
  }
  return [{ message: issue.message, path }];
}
