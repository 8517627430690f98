import { libraryFiles, planFromFile } from "../scenarios/library.ts";
import { EXIT, type Io } from "./io.ts";

/** `heartlock list`: the library, one scenario a line, with what it teaches. */
export function listCommand(io: Io): number {
  const plans = libraryFiles().map((file) => planFromFile(file));
  const width = Math.max(...plans.map((plan) => plan.name.length));
  for (const plan of plans) {
    io.stdout(`${plan.name.padEnd(width)}  ${plan.scenario.title}\n`);
  }
  io.stdout(`\n${plans.length} scenarios. Run one with: heartlock run <name>   (or all of them: heartlock run all)\n`);
  return EXIT.ok;
}
