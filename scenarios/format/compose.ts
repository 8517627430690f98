import { z } from "zod";
import { ScenarioError, type Locate } from "./problems.ts";
import { readYaml } from "./yaml-source.ts";

/**
 * Reuse across files, before the schema sees a scenario: `include:` of shared cast files (lenders,
 * accounts, devices, holidays, policy), `- include: steps.yaml` in a timeline (a list of steps spliced in
 * its place), and `matrix:` (every combination of the values, each a variant of the scenario with
 * `${name}` replaced in its text). Pure: reading an included file is the caller's `read`.
 */
export interface Composed {
  readonly data: unknown;
  readonly locate: Locate;
  /** The matrix values of this variant; empty for a scenario without a matrix. */
  readonly variant: Readonly<Record<string, string | number>>;
}

export type ReadInclude = (path: string, from: string) => { readonly file: string; readonly text: string };

/** What a ReadInclude throws for a file that is not there: reported at the include line that names it. */
export class IncludeNotFound extends Error {}

/** At most this many variants of one file: a matrix is for a few dimensions, not a fuzzer. */
export const MAX_VARIANTS = 64;

const CAST_LISTS = ["lenders", "accounts", "devices", "holidays"] as const;

/** What a shared cast file may hold. */
const CastFile = z.strictObject({
  lenders: z.array(z.unknown()).optional(),
  accounts: z.array(z.unknown()).optional(),
  devices: z.array(z.unknown()).optional(),
  holidays: z.array(z.unknown()).optional(),
  policy: z.record(z.string(), z.unknown()).optional(),
});
const StepsFile = z.union([z.array(z.unknown()), z.strictObject({ timeline: z.array(z.unknown()) })]);
const Matrix = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a matrix name is a word: letters, digits, _"), z.array(z.union([z.string(), z.number()])).min(1));

export function compose(data: unknown, file: string, locate: Locate, read: ReadInclude | undefined): Composed[] {
  if (!isRecord(data)) return [{ data, locate, variant: {} }];
  const problem = (path: (string | number)[], message: string): never => {
    throw new ScenarioError(file, [{ message, path, ...locate(path) }]);
  };
  const needRead = (path: (string | number)[]): ReadInclude => read ?? problem(path, "include: needs a file on disk (a scenario given as text or an object cannot include)");

  const fragment = <T>(at: (string | number)[], path: string, schema: z.ZodType<T>, what: string): T => {
    try {
      return loadFragment(needRead(at), path, file, schema, what);
    } catch (error) {
      if (error instanceof IncludeNotFound) problem(at, error.message);
      throw error;
    }
  };

  let scenario: Record<string, unknown> = { ...data };
  // Which include brought each shared list item (lists: the included items come first) and policy setting, so a
  // problem the schema finds in one later is pointed at the include line, not at the top of the file.
  const castFrom = new Map<string, number[]>();
  const policyFrom = new Map<string, number>();
  if (scenario.include !== undefined) {
    const includes = z.array(z.string().min(1)).safeParse(scenario.include);
    if (!includes.success) problem(["include"], "must be a list of file paths, relative to this file");
    for (const [n, path] of (includes.data ?? []).entries()) {
      const cast = fragment(["include", n], path, CastFile, "lenders, accounts, devices, holidays or policy");
      for (const key of CAST_LISTS) castFrom.set(key, [...(cast[key] ?? []).map(() => n), ...(castFrom.get(key) ?? [])]);
      for (const key of Object.keys(cast.policy ?? {})) if (!policyFrom.has(key)) policyFrom.set(key, n);
      scenario = withCast(scenario, cast);
    }
  }
  const ownPolicy = isRecord(data.policy) ? data.policy : {};
  const castLocate: Locate = (path, key) => {
    const [top, index] = path;
    const shared = typeof top === "string" ? castFrom.get(top) : undefined;
    if (shared !== undefined && typeof index === "number") {
      const from = shared[index];
      return from === undefined ? locate([top as string, index - shared.length, ...path.slice(2)], key) : locate(["include", from]);
    }
    // A policy setting: its value's path names it, an unknown key comes as `key` beside the path ["policy"].
    const setting = top !== "policy" ? undefined : typeof index === "string" ? index : index === undefined ? key : undefined;
    const from = setting === undefined || Object.hasOwn(ownPolicy, setting) ? undefined : policyFrom.get(setting);
    return from === undefined ? locate(path, key) : locate(["include", from]);
  };

  let timelineLocate = castLocate;
  if (Array.isArray(scenario.timeline)) {
    const timeline: unknown[] = [];
    const origin: number[] = [];
    scenario.timeline.forEach((item, index) => {
      if (isRecord(item) && "include" in item && Object.keys(item).length === 1 && typeof item.include === "string") {
        const steps = fragment(["timeline", index], item.include, StepsFile, "a list of timeline steps");
        for (const step of Array.isArray(steps) ? steps : steps.timeline) {
          timeline.push(step);
          origin.push(-1 - index);
        }
      } else {
        timeline.push(item);
        origin.push(index);
      }
    });
    scenario.timeline = timeline;
    // A step from an included list is pointed at the include line that brought it in.
    timelineLocate = (path, key) => {
      if (path[0] !== "timeline" || typeof path[1] !== "number") return castLocate(path, key);
      const from = origin[path[1]];
      if (from === undefined) return castLocate(path, key);
      return from >= 0 ? castLocate(["timeline", from, ...path.slice(2)], key) : castLocate(["timeline", -1 - from]);
    };
  }
  delete scenario.include;

  const matrix = scenario.matrix === undefined ? undefined : Matrix.safeParse(scenario.matrix);
  delete scenario.matrix;
  if (matrix === undefined) return [{ data: scenario, locate: timelineLocate, variant: {} }];
  if (!matrix.success) return problem(["matrix"], `must map names to lists of values, e.g. { hour: ["09:00", "18:00"] }: ${matrix.error.issues[0]?.message ?? ""}`);
  const variants = combinations(matrix.data);
  if (variants.length > MAX_VARIANTS) problem(["matrix"], `makes ${variants.length} variants; at most ${MAX_VARIANTS}`);
  return variants.map((variant) => ({ data: substitute(scenario, variant, file, timelineLocate), locate: timelineLocate, variant }));
}

function loadFragment<T>(read: ReadInclude, path: string, from: string, schema: z.ZodType<T>, what: string): T {
  const { file, text } = read(path, from);
  const { data, locate } = readYaml(text, file);
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = (issue?.path ?? []).map((part) => (typeof part === "symbol" ? String(part) : part));
  throw new ScenarioError(file, [{ message: `an included file holds ${what}: ${issue?.message ?? "invalid"}`, path: at, ...locate(at) }]);
}

/** Included cast first, the scenario's own after; a scenario's own policy settings win. */
function withCast(scenario: Record<string, unknown>, cast: z.infer<typeof CastFile>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...scenario };
  for (const key of CAST_LISTS) {
    const shared = cast[key];
    if (shared !== undefined) out[key] = [...shared, ...(Array.isArray(scenario[key]) ? scenario[key] : [])];
  }
  if (cast.policy !== undefined) out.policy = { ...cast.policy, ...(isRecord(scenario.policy) ? scenario.policy : {}) };
  return out;
}

function combinations(matrix: Record<string, readonly (string | number)[]>): Record<string, string | number>[] {
  let out: Record<string, string | number>[] = [{}];
  for (const [name, values] of Object.entries(matrix)) out = out.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  return out;
}

/** `${name}` in any string becomes the variant's value; a string that is only `${name}` takes the value's type. */
function substitute(value: unknown, variant: Record<string, string | number>, file: string, locate: Locate, path: (string | number)[] = []): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
    if (whole !== undefined && Object.hasOwn(variant, whole)) return variant[whole];
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
      if (!Object.hasOwn(variant, name)) throw new ScenarioError(file, [{ message: `\${${name}} is not in the matrix (it has ${Object.keys(variant).join(", ")})`, path, ...locate(path) }]);
      return String(variant[name]);
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, variant, file, locate, [...path, index]));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, variant, file, locate, [...path, key])]));
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
