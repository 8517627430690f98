import { httpCall, replyFrom, TransportError, type LockServiceTransport } from "./transport.ts";

/** Anything with a WHATWG fetch handler: a Hono app. */
export interface FetchHandler {
  fetch(request: Request): Response | Promise<Response>;
}

/** Calls the Hono app's `fetch` directly: the whole HTTP layer, without a socket. */
export function inProcessTransport(app: FetchHandler, origin = "http://heartlock.internal"): LockServiceTransport {
  return {
    name: "in-process",
    async call(id, request) {
      const { method, path, headers, body } = httpCall(id, request);
      let response: Response;
      try {
        response = await app.fetch(new Request(origin + path, { method, headers, body }));
      } catch (error) {
        throw new TransportError(`in-process call failed: ${(error as Error).message}`, { cause: error });
      }
      return replyFrom(response);
    },
  };
}
