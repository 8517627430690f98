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
 * a chunked body (or an HTTP/2 one without a length) as soon as it grows past the limit.
 *
 * On @hono/node-server neither case may touch `request.body`: that getter builds a whole WHATWG Request with
 * a web stream around the socket and an AbortSignal (about a fifth of a heartbeat's server time), and under
 * sustained load Node 20 frees those Requests only long after (their signal plumbing lives in WeakRefs and a
 * FinalizationRegistry): the soak's server grew 101 -> 419 MiB RSS in 300 s while it was built for every POST,
 * and chunked heartbeats still grew its heap after gc by ~6 KiB each until it was built for none. So the
 * Content-Length case is answered from the header alone, and a chunked body is read here straight from the
 * Node request, counted as it arrives, and handed to the handler through Hono's body cache. Under fetch (msw)
 * there is no Node request and Hono's own bodyLimit counts the stream; the in-process transport sends a
 * Content-Length, as a client on a socket does.
 * GET and HEAD carry no body a handler reads, as in Hono's own check.
 */
export function limitBodies(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  const tooLarge = () => simpleProblem(413, "invalid_request", `The request body is larger than ${maxBytes} bytes; no Heartlock call needs that much.`);
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) return parseInt(length, 10) > maxBytes ? tooLarge() : next();
    const incoming = nodeRequestOf(c.env);
    if (!incoming) return streamed(c, next);
    // Hono's c.req.text()/json() answer from this cache first (its type names the Body methods, not the
    // promises it actually keeps), so the handler reads the same text without the Request being built.
    const cache = c.req.bodyCache as { text?: Promise<string> };
    // Already read and counted by the limit of an app this one is mounted in (the studio around the lock service).
    if (cache.text !== undefined) return next();
    const text = await readCapped(incoming, maxBytes);
    if (text === undefined) return tooLarge();
    cache.text = Promise.resolve(text);
    return next();
  };
}

/** The part of Node's IncomingMessage read here; structural, so this file stays free of Node for the browser build. */
export interface NodeBody {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  off(event: "end" | "close", listener: () => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
  readonly readableEnded: boolean;
}

/** @hono/node-server passes the Node request as `c.env.incoming`; anything else (fetch, msw) has none. */
function nodeRequestOf(env: unknown): NodeBody | undefined {
  const incoming = typeof env === "object" && env !== null ? (env as { incoming?: unknown }).incoming : undefined;
  if (typeof incoming !== "object" || incoming === null) return undefined;
  const candidate = incoming as Partial<NodeBody>;
  return typeof candidate.on === "function" && typeof candidate.off === "function" && typeof candidate.pause === "function" && "readableEnded" in candidate ? (incoming as NodeBody) : undefined;
}

/**
 * The whole body as UTF-8 text, or undefined as soon as it passes `maxBytes` (then the stream is paused and
 * the rest left unread: the adapter drains or closes it once the 413 is sent). Rejects if the client goes away
 * mid-body, as the adapter's own read does.
 */
export function readCapped(incoming: NodeBody, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        stop();
        incoming.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      const body = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        body.set(chunk, at);
        at += chunk.byteLength;
      }
      resolve(new TextDecoder().decode(body));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(new Error("The client closed the connection before the request body ended."));
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
    if (incoming.readableEnded) onEnd();
  });
}

/** `application/json`, optionally with parameters (`; charset=utf-8`), and nothing else: no `text/plain; application/json`. */
export function isJsonContentType(type: string | undefined): boolean {
  return type !== undefined && /^\s*application\/json\s*(;|$)/i.test(type);
}
