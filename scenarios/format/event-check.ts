import { eventSpec, eventTypes } from "../catalogue/events.ts";

type Problem = (path: (string | number)[], message: string, key?: string) => void;

interface EventFields {
  readonly event: string;
  readonly actor?: string;
  readonly before?: string;
  readonly after?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * An event expectation names a type, actor and data keys from the catalogue, or the file is invalid: a
 * misspelt `command.isued` with `count: 0` would otherwise pass for ever.
 */
export function checkEventExpectation(expectation: EventFields, at: (string | number)[], problem: Problem): void {
  for (const order of ["before", "after"] as const) {
    const other = expectation[order];
    if (other !== undefined && eventSpec(other) === undefined) problem([...at, order], `unknown event type "${other}"${suggest(other, eventTypes)}; see the README's event catalogue`);
  }
  for (const [key, wanted] of Object.entries(expectation.data ?? {})) {
    const pattern = typeof wanted === "object" && wanted !== null && "matches" in wanted ? wanted.matches : undefined;
    if (typeof pattern !== "string") continue;
    try {
      new RegExp(pattern);
    } catch (error) {
      problem([...at, "data", key, "matches"], `is not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const spec = eventSpec(expectation.event);
  if (spec === undefined) {
    problem([...at, "event"], `unknown event type "${expectation.event}"${suggest(expectation.event, eventTypes)}; see the README's event catalogue`);
    return;
  }
  if (expectation.actor !== undefined && !(spec.actors as readonly string[]).includes(expectation.actor)) {
    problem([...at, "actor"], `"${expectation.event}" is written by ${spec.actors.join(" or ")}, never by "${expectation.actor}"`);
  }
  for (const [key, wanted] of Object.entries(expectation.data ?? {})) {
    if (!spec.data.includes(key)) {
      problem([...at, "data"], `"${expectation.event}" has no data key "${key}"${suggest(key, spec.data)}; its keys are ${spec.data.join(", ") || "none"}`, key);
      continue;
    }
    const allowed = spec.values?.[key];
    if (allowed === undefined) continue;
    if (typeof wanted === "string" && !allowed.includes(wanted)) {
      problem([...at, "data", key], `"${expectation.event}" never has ${key} "${wanted}"${suggest(wanted, allowed)}; its ${key} is one of ${allowed.join(", ")}`);
    }
    const pattern = typeof wanted === "object" && wanted !== null && "matches" in wanted ? wanted.matches : undefined;
    if (typeof pattern === "string" && validRegExp(pattern) && !allowed.some((value) => new RegExp(pattern).test(value))) {
      problem([...at, "data", key, "matches"], `matches none of the values "${expectation.event}" has for ${key}: ${allowed.join(", ")}`);
    }
  }
}

function validRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** ` (did you mean "command.issued"?)` for a near miss (at most two edits, or a third of the word). */
export function suggest(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
