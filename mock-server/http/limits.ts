import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { simpleProblem } from "./problem-response.ts";

/**
 * What one request may cost before any work is done (README "Security model"). Every body in the protocol
 * and the studio is a few hundred bytes; 64 KiB leaves room for a long lock message in any script.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses a larger body with 413 problem+json: at once from its Content-Length, before a byte of it is read;
 * a chunked body (or an HTTP/2 one without a length) as soon as it grows past the limit (Hono's bodyLimit
 * counts the stream as it is read).
 *
 * The Content-Length case is answered from the header alone, before Hono's bodyLimit is asked: that one
 * first looks at `request.body`, and on @hono/node-server that getter builds a whole WHATWG Request with a
 * web stream around the socket (about a fifth of a heartbeat's server time), which the adapter's own
 * `text()` would otherwise skip. GET and HEAD carry no body a handler reads, as in Hono's own check.
 */
export function limitBodies(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  const tooLarge = () => simpleProblem(413, "invalid_request", `The request body is larger than ${maxBytes} bytes; no Heartlock call needs that much.`);
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) return parseInt(length, 10) > maxBytes ? tooLarge() : next();
    return streamed(c, next);
  };
}

/** `application/json`, optionally with parameters (`; charset=utf-8`), and nothing else: no `text/plain; application/json`. */
export function isJsonContentType(type: string | undefined): boolean {
  return type !== undefined && /^\s*application\/json\s*(;|$)/i.test(type);
}
