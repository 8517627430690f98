import { scenarioJsonSchemaText } from "../scenarios/format/json-schema.ts";
import { EXIT, type Io } from "./io.ts";
import { outFileProblem, writeOut } from "./out-file.ts";

/** `heartlock schema [--out file]`: the JSON Schema that scenario files name in their first line. */
export function schemaCommand(out: string | undefined, io: Io): number {
  const text = scenarioJsonSchemaText();
  if (out === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  // A folder that is missing or not writable is one line and exit 2, as for `run --out`, not a stack trace.
  const problem = outFileProblem(out) ?? writeOut(() => io.writeFile(out, text), out);
  if (problem === undefined) return EXIT.ok;
  io.stderr(`${problem}\n`);
  return EXIT.invalid;
}
