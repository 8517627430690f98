import type { Millis } from "../../core/clock.ts";
import type { OperationId } from "../../protocol/operations.ts";
import { httpCall, parseBody, type LockServiceTransport } from "./transport.ts";

/**
 * What a phone sent, as its HTTP client builds it: the operation, method and path, the headers and the JSON
 * body. The in-process, Pool and fetch transports send exactly `httpCall`'s headers (the socket layers add
 * only host, connection and content-length); the direct transport sends no HTTP at all, so the same headers
 * are built here for it and a scenario's checks on them read the same on every transport.
 */
export interface SentRequest {
  readonly at: Millis;
  readonly imei: string;
  readonly operation: OperationId;
  readonly method: string;
  readonly path: string;
  /** Lower-case names; a bearer token is kept as `Bearer <redacted>`, never in full. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** The headers a phone's HTTP client can send: what a header check may name. */
export const sentHeaderNames = ["accept", "authorization", "content-type"] as const;

export const REDACTED = "<redacted>";

/** Wraps one phone's transport so that each call it makes is recorded before it is sent. */
export function recordingTransport(inner: LockServiceTransport, imei: string, now: () => Millis, record: (sent: SentRequest) => void): LockServiceTransport {
  return {
    name: inner.name,
    call(id, request) {
      const { method, path, headers, body } = httpCall(id, request);
      // The body as it goes on the wire (parsed back from its JSON text), so nothing is shared with the caller.
      record({ at: now(), imei, operation: id, method, path, headers: redacted(headers), ...(body !== undefined ? { body: parseBody(body) } : {}) });
      return inner.call(id, request);
    },
    ...(inner.close ? { close: () => inner.close?.() ?? Promise.resolve() } : {}),
  };
}

/** Credentials keep their scheme only: a recorded request (and any verdict quoting it) never holds a token. */
export function redacted(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    out[key] = key === "authorization" ? `${value.split(/\s+/)[0] ?? ""} ${REDACTED}` : value;
  }
  return out;
}
