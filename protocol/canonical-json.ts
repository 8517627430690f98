/**
 * Canonical JSON as PROTOCOL.md defines it for signatures: object keys sorted (by UTF-16 code units, as
 * JavaScript sorts), no spaces, `undefined` members left out. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot canonicalise ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + (value[i] === undefined ? "null" : canonicalJson(value[i]));
    return `${out}]`;
  }
  // A plain loop over sorted keys: this runs twice per heartbeat (sign and verify), so no intermediate arrays.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}
