import { Pool } from "undici";
import { httpCall, parseBody, TransportError, type LockServiceTransport } from "./transport.ts";

/**
 * Real HTTP through an undici Pool with keep-alive: the honest end-to-end path, and fleets over the
 * wire (DESIGN.md measured ~23k req/s from one core, against ~2k for global fetch).
 */
export function poolTransport(origin: string, options: { connections?: number } = {}): LockServiceTransport {
  const pool = new Pool(origin, { connections: options.connections ?? 8, pipelining: 1 });
  return {
    name: "http",
    async call(id, request) {
      const { method, path, headers, body } = httpCall(id, request);
      try {
        const response = await pool.request({ method: method as "GET", path, headers, body });
        const text = await response.body.text();
        const flat: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers)) if (value !== undefined) flat[key] = String(value);
        return { status: response.statusCode, body: parseBody(text), headers: flat };
      } catch (error) {
        throw new TransportError(`${method} ${origin}${path} failed: ${(error as Error).message}`, { cause: error });
      }
    },
    async close() {
      await pool.close();
    },
  };
}
