import { lightRequest } from "./light-request.ts";
import { httpCall, replyFrom, TransportError, type LockServiceTransport } from "./transport.ts";

/** Anything with a WHATWG fetch handler: a Hono app. */
export interface FetchHandler {
  fetch(request: Request): Response | Promise<Response>;
}

export interface InProcessOptions {
  /** The URL the requests carry (the app routes on its path). */
  readonly origin?: string;
  /**
   * Hand the app light Requests (light-request.ts) instead of undici's: a quarter of the CPU of a scenario run
   * over this transport was building them. Only for an app that reads method, URL, headers and the body's text
   * or JSON, as Heartlock's own `createApp` does: a light Request cannot be passed on to `fetch()` or
   * `new Request()`, which read undici's internal state. Off by default, so any app gets real Requests.
   */
  readonly lightRequests?: boolean;
}

/**
 * Calls the Hono app's `fetch` directly: the whole HTTP layer, without a socket. A request carries the
 * Content-Length undici's client sends on a socket (the body's bytes; 0 for a POST, PUT or PATCH without one),
 * so the app's body limit answers from it, as over HTTP. `options` may be the origin alone, as before there
 * were options.
 */
export function inProcessTransport(app: FetchHandler, options: string | InProcessOptions = {}): LockServiceTransport {
  const { origin = "http://heartlock.internal", lightRequests = false } = typeof options === "string" ? { origin: options } : options;
  const build = lightRequests ? lightRequest : (url: string, init: RequestInit) => new Request(url, init);
  return {
    name: "in-process",
    async call(id, request) {
      const { method, path, headers, body } = httpCall(id, request);
      let response: Response;
      try {
        if (body !== undefined) headers["content-length"] = String(utf8Length(body));
        else if (EXPECTS_PAYLOAD.has(method)) headers["content-length"] = "0";
        response = await app.fetch(build(origin + path, body === undefined ? { method, headers } : { method, headers, body }));
      } catch (error) {
        throw new TransportError(`in-process call failed: ${(error as Error).message}`, { cause: error });
      }
      return replyFrom(response);
    },
  };
}

/** Methods for which undici sends `content-length: 0` when there is no body (its client-h1 `expectsPayload`). */
const EXPECTS_PAYLOAD = new Set(["POST", "PUT", "PATCH"]);

/** The UTF-8 length of `text` as TextEncoder would write it (a lone surrogate becomes U+FFFD, 3 bytes), without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
