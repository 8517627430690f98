import { scenarioJsonSchemaText } from "../scenarios/format/json-schema.ts";
import { EXIT, type Io } from "./io.ts";

/** `heartlock schema [--out file]`: the JSON Schema that scenario files name in their first line. */
export function schemaCommand(out: string | undefined, io: Io): number {
  const text = scenarioJsonSchemaText();
  if (out === undefined) io.stdout(text);
  else io.writeFile(out, text);
  return EXIT.ok;
}
