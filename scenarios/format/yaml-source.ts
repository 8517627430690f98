import { isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { ScenarioError, type Locate } from "./problems.ts";

/**
 * Reads YAML text into plain data, keeping the document so that any later problem (schema, references,
 * times) can be pointed at its line and column. YAML 1.2's core schema keeps `2026-03-06T18:00` and `P2D`
 * as strings, which is what the scenario schema expects.
 */
export function readYaml(text: string, file: string): { data: unknown; locate: Locate } {
  if (text.length > MAX_SCENARIO_CHARS) {
    throw new ScenarioError(file, [{ message: `is ${Math.ceil(text.length / 1024)} KiB; a scenario file may be at most ${MAX_SCENARIO_BYTES / 1024} KiB (use a fleet's count or include: instead of copies)`, path: [], line: 1, column: 1 }]);
  }
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *base`) are how YAML users share a block; they are expanded like aliases, so the same limit holds.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, merge: true });
  if (doc.errors.length > 0) {
    // `{ count: ${n} }`: a matrix placeholder unquoted in a flow mapping is YAML's `{` and `}`, and the parser's
    // dozens of complaints would hide the one fix. Said once, at the first such placeholder.
    const problems = doc.errors.map((error) => {
      const position = error.linePos?.[0];
      return { message: firstLine(error.message), path: [], ...(position ? { line: position.line, column: position.col } : {}) };
    });
    const placeholder = unquotedFlowPlaceholder(text);
    // Errors before the placeholder's line are other mistakes and stay; from its line on they are its echoes.
    if (placeholder !== undefined && problems.some((problem) => (problem.line ?? 0) >= placeholder.line)) {
      const before = problems.filter((problem) => (problem.line ?? 0) < placeholder.line);
      throw new ScenarioError(file, [
        ...before,
        {
          message: `a matrix placeholder inside { … } or [ … ] must be quoted: "\${${placeholder.name}}" (a quoted placeholder that is the whole value still takes the value's type, so count: "\${n}" is a number)`,
          path: [],
          line: placeholder.line,
          column: placeholder.column,
        },
      ]);
    }
    throw new ScenarioError(file, problems);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (error) {
    // yaml throws a ReferenceError for an alias bomb ("billion laughs") or an alias before its anchor.
    if (!(error instanceof ReferenceError)) throw error;
    const where = firstAlias(doc, lineCounter);
    const message = /resource exhaustion/.test(error.message) ? `aliases expand to too much (more than ${MAX_ALIAS_EXPANSION} copies); an alias bomb is refused` : firstLine(error.message);
    throw new ScenarioError(file, [{ message, path: [], ...where }]);
  }
  return { data, locate: locator(doc, lineCounter) };
}

/** 256 KiB: the library's longest story is 6 KiB; a 5 MB file of 39k steps took 591 MB to run. */
export const MAX_SCENARIO_BYTES = 256 * 1024;
/** A JavaScript string of that many bytes has at most that many characters. */
const MAX_SCENARIO_CHARS = MAX_SCENARIO_BYTES;
/** yaml's own measure: aliases resolved × the nodes each copies. Shared lenders and steps stay far below it. */
const MAX_ALIAS_EXPANSION = 1000;

function firstAlias(doc: Document, lineCounter: LineCounter): { line?: number; column?: number } {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node)) offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
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

/**
 * The first `${name}` outside quotes on a line that opens a flow collection (`{` or `[` before it), 1-based; such
 * a placeholder breaks YAML's flow syntax. Undefined when there is none (the parse failed for another reason).
 */
function unquotedFlowPlaceholder(text: string): { name: string; line: number; column: number } | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    let quote: string | undefined;
    let flow = false;
    for (let at = 0; at < line.length; at++) {
      const ch = line[at];
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === "#" && (at === 0 || line[at - 1] === " ")) break;
      // A quote opens a quoted scalar only where a scalar starts (an apostrophe in "don't" is a letter).
      if ((ch === '"' || ch === "'") && (at === 0 || " \t{[,:".includes(line[at - 1] as string))) quote = ch;
      else if (ch === "{" && line[at - 1] !== "$") flow = true;
      else if (ch === "[") flow = true;
      else if (ch === "$" && line[at + 1] === "{" && flow) {
        const name = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(line.slice(at))?.[1];
        if (name !== undefined) return { name, line: i + 1, column: at + 1 };
      }
    }
  }
  return undefined;
}
