import { readFileSync } from "node:fs";
import { plansFromYaml } from "../scenarios/format/load.ts";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { ScenarioError } from "../scenarios/format/problems.ts";
import { ioReason, plansFromFile } from "../scenarios/library.ts";
import { MAX_SCENARIO_BYTES } from "../scenarios/format/yaml-source.ts";
import { EXIT, type Io } from "./io.ts";

/** `heartlock validate <file|->...`: every problem of every file, each with its line and column; "-" is standard input. */
export async function validateCommand(files: readonly string[], io: Io): Promise<number> {
  if (files.length === 0) {
    io.stderr("heartlock validate: name at least one scenario file (or - for standard input)\n");
    return EXIT.invalid;
  }
  let invalid = false;
  for (const file of files) {
    const loaded = file === "-" ? await fromStdin(io) : describeLoadError(() => plansFromFile(file));
    if (typeof loaded === "string") {
      invalid = true;
      io.stderr(`${loaded}\n`);
      continue;
    }
    const [plan] = loaded;
    if (plan === undefined) continue;
    const variants = loaded.length > 1 ? `, ${loaded.length} variants` : "";
    const steps = `${plan.steps.length} step${plan.steps.length === 1 ? "" : "s"}`;
    // Standard input is `<stdin>` here too, as in the problems it would have.
    io.stdout(`ok ${file === "-" ? "<stdin>" : file}: ${steps}, ${plan.devices.length} device${plan.devices.length === 1 ? "" : "s"}${variants}\n`);
  }
  return invalid ? EXIT.invalid : EXIT.ok;
}

/** A scenario piped in: read whole (bounded by the same size limit), named "<stdin>", includes not allowed. */
async function fromStdin(io: Io): Promise<ScenarioPlan[] | string> {
  let text: string;
  try {
    text = io.readStdin === undefined ? readFileSync(0, "utf8") : await io.readStdin(MAX_SCENARIO_BYTES + 1);
  } catch (error) {
    return `heartlock: cannot read standard input: ${ioReason(error)}`;
  }
  return describeLoadError(() => plansFromYaml(text, "<stdin>"));
}

/** Runs a loader; a ScenarioError becomes its message (one line per problem), anything else is a real bug. */
export function describeLoadError<T>(load: () => T): T | string {
  try {
    return load();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
}
