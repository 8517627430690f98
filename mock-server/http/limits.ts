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
 * a chunked body as soon as it grows past the limit (Hono's bodyLimit counts the stream as it is read).
 */
export function limitBodies(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => simpleProblem(413, "invalid_request", `The request body is larger than ${maxBytes} bytes; no Heartlock call needs that much.`),
  });
}

/** `application/json`, optionally with parameters (`; charset=utf-8`), and nothing else: no `text/plain; application/json`. */
export function isJsonContentType(type: string | undefined): boolean {
  return type !== undefined && /^\s*application\/json\s*(;|$)/i.test(type);
}
