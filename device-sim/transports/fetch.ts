import { httpCall, replyFrom, TransportError, type LockServiceTransport } from "./transport.ts";

/**
 * The global `fetch` — the transport MSW intercepts, in Node tests and in a browser prototype. The fetch
 * function is looked up at call time (not captured), so an interceptor installed later still applies.
 */
export function fetchTransport(baseUrl: string, fetchImpl?: typeof fetch): LockServiceTransport {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    name: "fetch",
    async call(id, request) {
      const { method, path, headers, body } = httpCall(id, request);
      let response: Response;
      try {
        response = await (fetchImpl ?? globalThis.fetch)(base + path, { method, headers, body });
      } catch (error) {
        throw new TransportError(`fetch ${method} ${path} failed: ${(error as Error).message}`, { cause: error });
      }
      return replyFrom(response);
    },
  };
}
