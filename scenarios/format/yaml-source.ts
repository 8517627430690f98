import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { ScenarioError, type Locate } from "./problems.ts";

/**
 * Reads YAML text into plain data, keeping the document so that any later problem (schema, references,
 * times) can be pointed at its line and column. YAML 1.2's core schema keeps `2026-03-06T18:00` and `P2D`
 * as strings, which is what the scenario schema expects.
 */
export function readYaml(text: string, file: string): { data: unknown; locate: Locate } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((error) => {
        const position = error.linePos?.[0];
        return { message: firstLine(error.message), path: [], ...(position ? { line: position.line, column: position.col } : {}) };
      }),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  return { data, locate: locator(doc, lineCounter) };
}

function locator(doc: Document, lineCounter: LineCounter): Locate {
  return (path, key) => {
    // Walk up from the deepest path that exists: a missing key is reported at the object that lacks it.
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (node === undefined || node === null) continue;
      const target = key !== undefined && depth === path.length && isMap(node) ? (node.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === key)?.key ?? node) : node;
      const offset = rangeStart(target);
      if (offset === undefined) continue;
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
    return undefined;
  };
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node === "object" && node !== null && "range" in node) {
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0];
  }
  return undefined;
}

/** yaml's pretty errors append a code excerpt; the CLI prints its own position. */
function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
