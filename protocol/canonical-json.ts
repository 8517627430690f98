/**
 * Canonical JSON as PROTOCOL.md defines it for signatures: object keys sorted (by UTF-16 code units, as
 * JavaScript sorts), no spaces, `undefined` members left out. Arrays keep their order.
 *
 * This runs twice per heartbeat (the service signs, the phone verifies), so it is the hot path of a fleet:
 * the value is put into canonical key order first (objects already in order, as the service builds its
 * answers, are used as they are) and then serialised by one native JSON.stringify, instead of one small
 * stringify per key. Objects with integer-like keys, which JavaScript always enumerates first, take the
 * slow path, because JSON.stringify would not put them in string order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot canonicalise ${typeof value}`);
    return text;
  }
  const ordered = inCanonicalOrder(value);
  return ordered === SLOW ? slowCanonicalJson(value) : JSON.stringify(ordered);
}

/**
 * Both texts of a value at once: its canonical JSON (what is signed) and its JSON.stringify (what is sent). For a
 * value already in canonical order (as the service builds its answers) they are one text, serialised once.
 */
export function canonicalAndPlainJson(value: unknown): { readonly canonical: string; readonly plain: string } {
  if (value === null || typeof value !== "object") {
    const text = canonicalJson(value);
    return { canonical: text, plain: text };
  }
  const ordered = inCanonicalOrder(value);
  if (ordered === value) {
    const text = JSON.stringify(value);
    return { canonical: text, plain: text };
  }
  return { canonical: ordered === SLOW ? slowCanonicalJson(value) : JSON.stringify(ordered), plain: JSON.stringify(value) };
}

/**
 * The canonical JSON of an object that is already in canonical order all the way down (keys sorted, no undefined
 * members, nothing JSON.stringify would order differently): then it is the object's JSON.stringify, one native
 * call. Undefined for anything else, whose canonical text and JSON.stringify differ.
 */
export function orderedJson(value: object): string | undefined {
  return inCanonicalOrder(value) === value ? JSON.stringify(value) : undefined;
}

const SLOW = Symbol("slow path");
const INTEGER_LIKE = /^(?:0|[1-9]\d*)$/;

/** The value with every object's keys in sorted order (the value itself when already so), or SLOW. */
function inCanonicalOrder(value: unknown): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? SLOW : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const ordered = item === undefined ? null : inCanonicalOrder(item);
      if (ordered === SLOW) return SLOW;
      if (ordered !== item && !copy) copy = value.slice(0, i);
      if (copy) copy.push(ordered);
    }
    return copy ?? value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return SLOW;
  const record = value as Record<string, unknown>;
  let sorted = true;
  let same = true;
  let previous: string | undefined;
  // for…in rather than Object.keys: no key array per object (this runs on every object of every heartbeat answer,
  // on both sides). It lists own keys in Object.keys order, then inherited enumerable ones, which JSON.stringify
  // would not write: an object with any of those takes the slow path, which reads own keys only.
  for (const key in record) {
    if (!Object.hasOwn(record, key)) return SLOW;
    // Only a key starting with a digit can be integer-like: the regex runs for those alone (this loop is hot).
    const first = key.charCodeAt(0);
    if (first >= 48 && first <= 57 && INTEGER_LIKE.test(key)) return SLOW;
    if (previous !== undefined && previous >= key) sorted = false;
    previous = key;
    const item = record[key];
    if (item === undefined) same = false;
    else if (item !== null && typeof item === "object") {
      if (inCanonicalOrder(item) !== item) same = false;
    } else if (typeof item === "function" || typeof item === "symbol") return SLOW;
  }
  if (sorted && same) return value;
  // No prototype: on a plain object, assigning a "__proto__" key would set the prototype and drop the member.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const keys = Object.keys(record);
  for (const key of sorted ? keys : keys.sort()) {
    const item = record[key];
    if (item === undefined) continue;
    const ordered = inCanonicalOrder(item);
    if (ordered === SLOW) return SLOW;
    out[key] = ordered;
  }
  return out;
}

/** Key by key: the definition, used where one native stringify would order keys differently. */
function slowCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot canonicalise ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + (value[i] === undefined ? "null" : slowCanonicalJson(value[i]));
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${slowCanonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}
