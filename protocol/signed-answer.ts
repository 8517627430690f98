import { canonicalAndPlainJson, orderedJson } from "./canonical-json.ts";
import { SERVER_SIGNATURE, serverSignatureOf, signAnswer, type ServerKeyPair } from "./server-key.ts";
import { hmacBase64url, signResponse } from "./signing.ts";

/*
 * A heartbeat answer signed from one serialisation. The Ed25519 `serverSignature` covers the answer's canonical
 * JSON without either signature, the HMAC `signature` the same plus `serverSignature` (server-key.ts), and the
 * wire carries JSON.stringify of the signed answer: three texts of one object, which signAnswer + signResponse +
 * the HTTP edge build by sorting and serialising it three times. Here each member is serialised once (twice only
 * when a nested object is out of canonical order), and the three texts are joined from those pieces. The bytes
 * are exactly the ones the plain path gives (signed-answer.test.ts compares them).
 */
interface Member {
  readonly key: string;
  /** JSON.stringify(key): the member's name as both texts write it. */
  readonly name: string;
  readonly canonical: string;
  readonly plain: string;
}

/** The wire text of each answer signed here, so the HTTP edge sends it instead of serialising the answer again. */
/*
 * Kept for the last few answers signed, by identity: the edge asks for an answer's text a few microtasks after it
 * was signed, with at most a handful of other answers signed in between. A WeakMap entry per answer cost the
 * garbage collector an ephemeron for every heartbeat; an answer that has left this ring is sent as its
 * JSON.stringify, which is the same bytes (signed-answer.test.ts), only serialised again.
 */
const WIRE_RING = 32;
const wireAnswers: (object | undefined)[] = new Array<object | undefined>(WIRE_RING).fill(undefined);
const wireRingTexts: string[] = new Array<string>(WIRE_RING).fill("");
let wireNext = 0;
const wireTexts = {
  set(answer: object, text: string): void {
    wireAnswers[wireNext] = answer;
    wireRingTexts[wireNext] = text;
    wireNext = (wireNext + 1) % WIRE_RING;
  },
  get(answer: object): string | undefined {
    // Newest first: the answer asked for is nearly always the one signed last.
    for (let i = 1; i <= WIRE_RING; i++) {
      const at = (wireNext - i + WIRE_RING) % WIRE_RING;
      if (wireAnswers[at] === answer) return wireRingTexts[at];
    }
    return undefined;
  },
};

const INTEGER_LIKE = /^(?:0|[1-9]\d*)$/;
const byKey = (a: Member, b: Member) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const joined = (members: readonly Member[]) => {
  let text = "{";
  for (let i = 0; i < members.length; i++) text += `${i ? "," : ""}${(members[i] as Member).name}:${(members[i] as Member).canonical}`;
  return `${text}}`;
};

/**
 * Returns the answer with `serverSignature` (when the service holds a pinned key) and the HMAC `signature` added,
 * as `signResponse(serverKey ? signAnswer(serverKey, answer) : answer, secret)` does, byte for byte. The signed
 * object must not be changed afterwards (it would no longer verify, and wireJson would send the old text).
 */
export function signHeartbeatAnswer<T extends object>(answer: T, secret: string, serverKey?: ServerKeyPair): T & { signature: string } {
  const record = answer as Record<string, unknown>;
  const keys = Object.keys(record);
  // Answers this is not built for (a signature already there, keys JavaScript enumerates out of order) take the plain path.
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const first = key.charCodeAt(0);
    if (key === "signature" || key === SERVER_SIGNATURE || (first >= 48 && first <= 57 && INTEGER_LIKE.test(key))) {
      return signResponse(serverKey ? signAnswer(serverKey, answer) : answer, secret);
    }
  }
  if (serverKey) {
    const fast = signOrdered(answer, keys, secret, serverKey);
    if (fast) return fast;
  } else {
    // Without a pinned key (a fleet on virtual time), an answer in canonical order is its own HMAC text: one native
    // stringify, and no wire text kept (JSON.stringify of the signed object is the wire text, which wireJson falls
    // back to; a fleet on the direct transport never asks for it).
    const canonical = orderedJson(answer);
    if (canonical !== undefined) return { ...answer, signature: hmacBase64url(secret, canonical) };
  }
  // One pass over the members: each serialised once (a string by one stringify, an object both ways when its
  // keys are out of canonical order), the wire text joined as it goes; the canonical text too while the keys
  // come sorted, as the service builds its answers (otherwise it is joined after sorting the members).
  const members: Member[] = [];
  let wire = "{";
  let canonical = "{";
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = record[key];
    if (value === undefined) continue;
    let member: Member;
    const name = JSON.stringify(key);
    if (typeof value === "string") {
      const text = JSON.stringify(value);
      member = { key, name, canonical: text, plain: text };
    } else {
      const { canonical: text, plain } = canonicalAndPlainJson(value);
      member = { key, name, canonical: text, plain };
    }
    const previous = members[members.length - 1];
    if (previous && previous.key > key) sorted = false;
    const comma = members.length ? "," : "";
    wire += `${comma}${name}:${member.plain}`;
    if (sorted) canonical += `${comma}${name}:${member.canonical}`;
    members.push(member);
  }
  const ordered = sorted ? members : [...members].sort(byKey);
  if (!sorted) canonical = joined(ordered).slice(0, -1);

  let signed: T & { signature: string };
  if (serverKey) {
    const serverSignature = serverSignatureOf(serverKey, `${canonical}}`);
    const quoted = JSON.stringify(serverSignature);
    const signature = hmacBase64url(secret, withMember(ordered, `"${SERVER_SIGNATURE}":${quoted}`, SERVER_SIGNATURE));
    signed = { ...answer, serverSignature, signature };
    wire += `${members.length ? "," : ""}"${SERVER_SIGNATURE}":${quoted},"signature":${JSON.stringify(signature)}}`;
  } else {
    const signature = hmacBase64url(secret, `${canonical}}`);
    signed = { ...answer, signature };
    wire += `${members.length ? "," : ""}"signature":${JSON.stringify(signature)}}`;
  }
  wireTexts.set(signed, wire);
  return signed;
}

/**
 * The common case, as the service builds a heartbeat answer: keys sorted at every level, so the canonical text
 * (what Ed25519 signs) is JSON.stringify of the answer, one native call, and also the start of the wire text. The
 * HMAC text is that text with the `serverSignature` member spliced in before the members that sort after it,
 * whose text is rebuilt and checked against the end of the canonical text (undefined, for the general path, if
 * it differs; it cannot for a sorted answer).
 */
function signOrdered<T extends object>(answer: T, keys: readonly string[], secret: string, serverKey: ServerKeyPair): (T & { signature: string }) | undefined {
  const canonical = orderedJson(answer);
  if (canonical === undefined) return undefined;
  const record = answer as Record<string, unknown>;
  let after = keys.length;
  while (after > 0 && (keys[after - 1] as string) > SERVER_SIGNATURE) after--;
  let tail = "";
  for (let i = after; i < keys.length; i++) {
    const key = keys[i] as string;
    const text = JSON.stringify(record[key]);
    if (text === undefined) return undefined;
    tail += `,${JSON.stringify(key)}:${text}`;
  }
  // Where the tail's text starts in the canonical text: after the "{" when no member sorts before serverSignature.
  const start = after === 0 ? 1 : canonical.length - 1 - tail.length;
  if (canonical.slice(start, -1) !== (after === 0 ? tail.slice(1) : tail)) return undefined;
  const serverSignature = serverSignatureOf(serverKey, canonical);
  const quoted = JSON.stringify(serverSignature);
  const member = `"${SERVER_SIGNATURE}":${quoted}`;
  const signature = hmacBase64url(secret, after === 0 ? `{${member}${tail}}` : `${canonical.slice(0, start)},${member}${tail}}`);
  const signed = { ...answer, serverSignature, signature };
  wireTexts.set(signed, `${canonical.slice(0, -1)}${keys.length ? "," : ""}${member},"signature":${JSON.stringify(signature)}}`);
  return signed;
}

/** The canonical text of sorted `members` with one more member (`text`, named `key`) in its sorted place. */
function withMember(members: readonly Member[], text: string, key: string): string {
  let out = "{";
  let placed = false;
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as Member;
    if (!placed && member.key > key) {
      out += `${i ? "," : ""}${text}`;
      placed = true;
    }
    out += `${i || placed ? "," : ""}${member.name}:${member.canonical}`;
  }
  return placed ? `${out}}` : `${out}${members.length ? "," : ""}${text}}`;
}

/** The JSON text of an answer for the wire: the one built when it was signed, else JSON.stringify. */
export function wireJson(body: unknown): string {
  const text = typeof body === "object" && body !== null ? wireTexts.get(body) : undefined;
  return text ?? JSON.stringify(body);
}
