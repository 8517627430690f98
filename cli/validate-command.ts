import { ScenarioError } from "../scenarios/format/problems.ts";
import { planFromFile } from "../scenarios/library.ts";
import { EXIT, type Io } from "./io.ts";

/** `heartlock validate <file>...`: every problem of every file, each with its line and column. */
export function validateCommand(files: readonly string[], io: Io): number {
  if (files.length === 0) {
    io.stderr("heartlock validate: name at least one scenario file\n");
    return EXIT.invalid;
  }
  let invalid = false;
  for (const file of files) {
    const problem = describeLoadError(() => planFromFile(file));
    if (typeof problem === "string") {
      invalid = true;
      io.stderr(`${problem}\n`);
    } else {
      io.stdout(`ok ${file}: ${problem.steps.length} steps, ${problem.devices.length} device${problem.devices.length === 1 ? "" : "s"}\n`);
    }
  }
  return invalid ? EXIT.invalid : EXIT.ok;
}

/** Runs a loader; a ScenarioError or a missing file becomes its message, anything else is a real bug. */
export function describeLoadError<T>(load: () => T): T | string {
  try {
    return load();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    if (error instanceof Error && (/^no scenario file/.test(error.message) || "code" in error)) return `heartlock: ${error.message}`;
    throw error;
  }
}
