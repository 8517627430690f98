import { CheckinRequest, HeartbeatRequest, UnlockAttemptRequest } from "../../protocol/messages/device.ts";
import { REDACTED, sentHeaderNames } from "../../device-sim/transports/recording.ts";
import type { requestCalls } from "./schema.ts";
import { suggest } from "./event-check.ts";

type Problem = (path: (string | number)[], message: string, key?: string) => void;

interface RequestFields {
  readonly call: (typeof requestCalls)[number];
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly body?: Readonly<Record<string, unknown>>;
}

/** The body fields each phone call can carry: the protocol's own request schemas, so they cannot drift. */
const bodyKeys: Readonly<Record<RequestFields["call"], readonly string[]>> = {
  checkin: Object.keys(CheckinRequest.shape),
  heartbeat: Object.keys(HeartbeatRequest.shape),
  unlock_attempt: Object.keys(UnlockAttemptRequest.shape),
};

/**
 * A `request:` check names headers the phone's client sends and body fields its call has, or the file is
 * invalid: `{ conten-type: … }` with `count: 0` would otherwise pass for ever. A full bearer token can never
 * match (tokens are recorded redacted), so it is refused here rather than failing later for a hidden reason.
 */
export function checkRequestExpectation(request: RequestFields, at: (string | number)[], problem: Problem): void {
  const known: readonly string[] = sentHeaderNames;
  for (const [name, wanted] of Object.entries(request.headers ?? {})) {
    const key = name.toLowerCase();
    if (!known.includes(key)) {
      problem([...at, "headers"], `a phone's client sends no header "${name}"${suggest(key, known)}; it sends ${known.join(", ")}`, name);
      continue;
    }
    if (key === "authorization" && typeof wanted === "string" && /^\S+\s+/.test(wanted) && !wanted.endsWith(REDACTED)) {
      problem([...at, "headers", name], `tokens are recorded redacted, never in full: write "Bearer ${REDACTED}", or { matches: "^Bearer " }`);
    }
    checkPattern(wanted, [...at, "headers", name], problem);
  }
  const keys = bodyKeys[request.call];
  for (const [key, wanted] of Object.entries(request.body ?? {})) {
    if (!keys.includes(key)) problem([...at, "body"], `a ${request.call} request has no body field "${key}"${suggest(key, keys)}; its fields are ${keys.join(", ")}`, key);
    else checkPattern(wanted, [...at, "body", key], problem);
  }
}

function checkPattern(wanted: unknown, at: (string | number)[], problem: Problem): void {
  const pattern = typeof wanted === "object" && wanted !== null && "matches" in wanted ? wanted.matches : undefined;
  if (typeof pattern !== "string") return;
  try {
    new RegExp(pattern);
  } catch (error) {
    problem([...at, "matches"], `is not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}
