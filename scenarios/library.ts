import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { baseName, plansFromYaml } from "./format/load.ts";
import { IncludeNotFound, type ReadInclude } from "./format/compose.ts";
import type { ScenarioPlan } from "./format/plan.ts";
import { ScenarioError } from "./format/problems.ts";
import { MAX_SCENARIO_BYTES } from "./format/yaml-source.ts";

/** The scenarios that ship with Heartlock, one YAML file each, runnable by name ("missed-payment-lock"). */
const HERE = dirname(fileURLToPath(import.meta.url));
export const LIBRARY_DIR = join(HERE, "library");
export const SCHEMA_FILE = join(HERE, "scenario.schema.json");

export function libraryFiles(): string[] {
  return readdirSync(LIBRARY_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => join(LIBRARY_DIR, file));
}

export function libraryNames(): string[] {
  return libraryFiles().map(baseName);
}

/** A path to a file, or the name of a library scenario. */
export function resolveScenarioFile(fileOrName: string): string {
  if (existsSync(fileOrName)) return resolve(fileOrName);
  const inLibrary = join(LIBRARY_DIR, `${fileOrName.replace(/\.ya?ml$/, "")}.yaml`);
  if (existsSync(inLibrary)) return inLibrary;
  throw new ScenarioError(fileOrName, [{ message: `no such file, and no library scenario of that name; try: ${libraryNames().join(", ")}`, path: [] }]);
}

/** Reads and plans a file (its first variant, for a matrix). Every failure is a ScenarioError. */
export function planFromFile(fileOrName: string): ScenarioPlan {
  const [first] = plansFromFile(fileOrName);
  if (first === undefined) throw new Error("a scenario always has at least one variant");
  return first;
}

/** Every variant of a file. Too big (checked before reading), unreadable or invalid: a ScenarioError with its place. */
export function plansFromFile(fileOrName: string): ScenarioPlan[] {
  const file = resolveScenarioFile(fileOrName);
  return plansFromYaml(readScenarioText(file), file, readInclude);
}

/** An included file, relative to the file that includes it, under the same size limit. */
const readInclude: ReadInclude = (path, from) => {
  const file = resolve(dirname(from), path);
  if (!existsSync(file)) throw new IncludeNotFound(`no file ${path} (looked for ${file})`);
  return { file, text: readScenarioText(file) };
};

export function readScenarioText(file: string): string {
  try {
    const { size } = statSync(file);
    if (size > MAX_SCENARIO_BYTES) {
      throw new ScenarioError(file, [{ message: `is ${Math.ceil(size / 1024)} KiB; a scenario file may be at most ${MAX_SCENARIO_BYTES / 1024} KiB`, path: [], line: 1, column: 1 }]);
    }
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError(file, [{ message: `cannot be read (${ioReason(error)})`, path: [] }]);
  }
}

/** "EACCES: permission denied" without the path, which the message already starts with. */
export function ioReason(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    const detail = error.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
    return `${error.code}: ${detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}
