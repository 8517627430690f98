import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { baseName, planFromYaml } from "./format/load.ts";
import type { ScenarioPlan } from "./format/plan.ts";

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
  throw new Error(`no scenario file "${fileOrName}", and no library scenario of that name; try: ${libraryNames().join(", ")}`);
}

export function planFromFile(fileOrName: string): ScenarioPlan {
  const file = resolveScenarioFile(fileOrName);
  return planFromYaml(readFileSync(file, "utf8"), file);
}
