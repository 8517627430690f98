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

/** The value is not even of the branch's type (nor of any of a nested union's branches). */
function wrongShape(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === "invalid_type") return true;
  return issue.code === "invalid_union" && issue.errors.length > 0 && issue.errors.every((errors) => errors.length > 0 && errors.every(wrongShape));
}

function explain(issue: z.core.$ZodIssue, prefix: Path): Problem[] {
  const path: Path = [...prefix, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ message: `unknown key "${key}"`, path: [...path, key], key }));
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // A plain union (the three kinds of expectation) reports every branch's complaints; the branch that
    // came closest is the one the author meant.
    // A branch of another shape altogether (an object where a list was written) is never the closest: each of
    // the list's items would otherwise lose to "expected object, received array" on a tie.
    const distance = (errors: readonly z.core.$ZodIssue[]): number => (errors.every(wrongShape) ? Number.POSITIVE_INFINITY : errors.length);
    const closest = [...issue.errors].sort((a, b) => distance(a) - distance(b))[0] ?? [];
    return closest.flatMap((inner) => explain(inner, path));
  }
  return [{ message: issue.message, path }];
}
