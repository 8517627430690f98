import { canonicalAndPlainJson, isCanonical } from "./canonical-json.ts";
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
const wireTexts = new WeakMap<object, string>();

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
  if (keys.some((key) => key === "signature" || key === SERVER_SIGNATURE || INTEGER_LIKE.test(key))) {
    return signResponse(serverKey ? signAnswer(serverKey, answer) : answer, secret);
  }
  if (isCanonical(answer)) return signCanonical(answer, keys, secret, serverKey);
  const members: Member[] = [];
  for (const key of keys) {
    const value = record[key];
    if (value === undefined) continue;
    const { canonical, plain } = canonicalAndPlainJson(value);
    members.push({ key, name: JSON.stringify(key), canonical, plain });
  }
  let sorted = members;
  for (let i = 1; i < members.length; i++) {
    if ((members[i - 1] as Member).key > (members[i] as Member).key) {
      sorted = [...members].sort(byKey);
      break;
    }
  }
  let wire = "{";
  for (let i = 0; i < members.length; i++) wire += `${i ? "," : ""}${(members[i] as Member).name}:${(members[i] as Member).plain}`;

  let signed: T & { signature: string };
  if (serverKey) {
    const serverSignature = serverSignatureOf(serverKey, joined(sorted));
    const quoted = JSON.stringify(serverSignature);
    const withServer = [...sorted, { key: SERVER_SIGNATURE, name: `"${SERVER_SIGNATURE}"`, canonical: quoted, plain: quoted }].sort(byKey);
    const signature = hmacBase64url(secret, joined(withServer));
    signed = { ...answer, serverSignature, signature };
    wire += `${members.length ? "," : ""}"${SERVER_SIGNATURE}":${quoted},"signature":${JSON.stringify(signature)}}`;
  } else {
    const signature = hmacBase64url(secret, joined(sorted));
    signed = { ...answer, signature };
    wire += `${members.length ? "," : ""}"signature":${JSON.stringify(signature)}}`;
  }
  wireTexts.set(signed, wire);
  return signed;
}

/**
 * An answer already in canonical order throughout (the routine answer the service builds: sorted keys, values in
 * order) is its own canonical JSON, so one native stringify gives the signed text: no pieces, no joins. No wire text
 * is kept for it either: JSON.stringify of the signed object is the wire text, and wireJson falls back to exactly that
 * (a fleet on the direct transport never asks, and kept ~0.5 KB of text per heartbeat in the map until a GC).
 */
function signCanonical<T extends object>(answer: T, keys: readonly string[], secret: string, serverKey: ServerKeyPair | undefined): T & { signature: string } {
  const text = JSON.stringify(answer);
  if (!serverKey) return { ...answer, signature: hmacBase64url(secret, text) };
  const serverSignature = serverSignatureOf(serverKey, text);
  // The HMAC covers the answer with serverSignature, in canonical order: the new key goes where it sorts.
  // No prototype, so a "__proto__" member stays a member.
  const record = answer as Record<string, unknown>;
  const withServer = Object.create(null) as Record<string, unknown>;
  let placed = false;
  for (const key of keys) {
    if (!placed && key > SERVER_SIGNATURE) {
      withServer[SERVER_SIGNATURE] = serverSignature;
      placed = true;
    }
    withServer[key] = record[key];
  }
  if (!placed) withServer[SERVER_SIGNATURE] = serverSignature;
  return { ...answer, serverSignature, signature: hmacBase64url(secret, JSON.stringify(withServer)) };
}

/** The JSON text of an answer for the wire: the one built when it was signed, else JSON.stringify. */
export function wireJson(body: unknown): string {
  const text = typeof body === "object" && body !== null ? wireTexts.get(body) : undefined;
  return text ?? JSON.stringify(body);
}
