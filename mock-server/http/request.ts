import type { Context } from "hono";
import type { Operation } from "../../protocol/operations.ts";
import { ProblemError } from "../../protocol/problem.ts";
import { isJsonContentType } from "./limits.ts";

/**
 * Reads what the service needs from an HTTP request: the bearer token, path and query values, and the
 * JSON body. Malformed JSON and non-JSON bodies are refused here with problem bodies, before any state.
 */
export interface RawCall {
  token?: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
}

/** A body of more than whitespace (\s is the whitespace String.prototype.trim removes), found without a trimmed copy. */
const NOT_BLANK = /\S/;

export function bearerToken(c: Context): string | undefined {
  return c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/**
 * `token` when the caller already read it (the route reads it first, for the auth check). The query string is
 * parsed only for an operation that has one: the service validates no other's query (mock-server/service.ts).
 */
export async function readCall(c: Context, op: Operation, token: string | undefined = bearerToken(c)): Promise<RawCall> {
  const call: RawCall = { token, params: c.req.param() as Record<string, string>, query: op.query ? c.req.query() : {} };
  if (!op.body) return call;

  const text = await c.req.text();
  if (!NOT_BLANK.test(text)) return call;
  const type = c.req.header("content-type") ?? "";
  if (!isJsonContentType(type)) {
    throw new ProblemError(415, "invalid_request", `Send the body as JSON with Content-Type: application/json (got "${type || "none"}").`);
  }
  try {
    call.body = JSON.parse(text) as unknown;
    return call;
  } catch (error) {
    throw new ProblemError(400, "invalid_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
}
