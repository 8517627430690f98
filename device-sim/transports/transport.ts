import { operations, pathFor, type OperationId, type RawRequest } from "../../protocol/operations.ts";

/**
 * How a client reaches the lock service. Four implementations (DESIGN.md "Transports"): direct (the typed
 * service operations), in-process (the Hono app's fetch), undici Pool (real HTTP on loopback) and global
 * fetch (which MSW can intercept). All answer the same `Reply` for the same call.
 */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LockServiceTransport {
  readonly name: string;
  call(id: OperationId, request: RawRequest): Promise<Reply>;
  close?(): Promise<void>;
}

/** No answer came: connection refused, dropped, or the phone is offline. Stable code, like undici's. */
export class TransportError extends Error {
  readonly code = "HEARTLOCK_UNREACHABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
  }
}

export interface HttpCall {
  readonly method: string;
  /** Path plus query string. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The HTTP request for an operation, shared by every HTTP-speaking transport. */
export function httpCall(id: OperationId, request: RawRequest): HttpCall {
  const op = operations[id];
  let path = pathFor(op.path, request.params as Record<string, string> | undefined);
  const query = request.query as Record<string, string | number | undefined> | undefined;
  if (query) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const text = search.toString();
    if (text) path += `?${text}`;
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  if (request.body === undefined) return { method: op.method.toUpperCase(), path, headers };
  headers["content-type"] = "application/json";
  return { method: op.method.toUpperCase(), path, headers, body: JSON.stringify(request.body) };
}

/** Reads a WHATWG Response into a Reply (JSON, or null for an empty body). */
export async function replyFrom(response: Response): Promise<Reply> {
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  return { status: response.status, body: parseBody(text), headers };
}

export function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
