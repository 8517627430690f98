import type { z } from "zod";
import { ScenarioError, type Locate, type ScenarioProblem } from "./problems.ts";
import { suggest } from "./event-check.ts";
import { Scenario } from "./schema.ts";

/** Checks plain data against the scenario schema; every problem is reported, each at its own line. */
export function validateScenario(data: unknown, file: string, locate: Locate): Scenario {
  const parsed = Scenario.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => explain(issue, [], data));
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

function explain(issue: z.core.$ZodIssue, prefix: Path, data: unknown): Problem[] {
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
    return closest.flatMap((inner) => explain(inner, path, data));
  }
  return [{ message: plainMessage(issue, valueAt(data, path)), path }];
}

/** The value at a path of the parsed YAML (undefined where the path leads nowhere). */
function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const part of path) value = typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[part] : undefined;
  return value;
}

/*
 * zod's own wording ("Invalid option: expected one of …", "Too small: expected number to be >0", "Invalid input:
 * expected string, received undefined") said the same in the terms of a type system; a scenario author reads
 * what the value must be. Messages the schema writes itself are kept as they are.
 */
function plainMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_value": {
      if (!/^Invalid (option|input)/.test(issue.message)) return issue.message;
      const options = issue.values.map((option) => String(option));
      const near = typeof value === "string" ? suggest(value, options) : "";
      return `${value === undefined ? "is missing" : `${JSON.stringify(value)} is not allowed`}${near}; use one of ${options.join(", ")}`;
    }
    case "invalid_type":
      if (!issue.message.startsWith("Invalid input")) return issue.message;
      return value === undefined ? `is required (${article(issue.expected)})` : `must be ${article(issue.expected)}, not ${describe(value)}`;
    case "too_small":
    case "too_big": {
      if (!/^Too (small|big)/.test(issue.message)) return issue.message;
      const limit = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive !== false;
      const small = issue.code === "too_small";
      if (issue.origin === "number" || issue.origin === "int") return `must be ${small ? (inclusive ? "at least" : "above") : inclusive ? "at most" : "below"} ${limit}`;
      if (issue.origin === "string") return small && limit <= 1 ? "must not be empty" : `must be ${small ? "at least" : "at most"} ${limit} characters long`;
      if (issue.origin === "array") return `must have ${small ? "at least" : "at most"} ${limit} item${limit === 1 ? "" : "s"}`;
      return issue.message;
    }
    default:
      return issue.message;
  }
}

function article(type: string): string {
  return type === "array" ? "a list" : type === "object" ? "a mapping (key: value)" : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
