import { directTransport } from "../device-sim/transports/direct.ts";
import { inProcessTransport } from "../device-sim/transports/in-process.ts";
import type { LockServiceTransport } from "../device-sim/transports/transport.ts";
import { createApp } from "../mock-server/http/app.ts";
import type { LockService } from "../mock-server/service.ts";

/**
 * How a world's actors reach its lock service:
 * - `direct`: the typed operations, no HTTP (fastest; fleets);
 * - `in-process`: the Hono app's fetch, no socket (proves the HTTP layer);
 * - `http`: an undici Pool to a real server on 127.0.0.1 (the honest end-to-end path);
 * - `fetch`: the global fetch to that same real server (what MSW intercepts).
 */
export type TransportKind = "direct" | "in-process" | "http" | "fetch";

export interface WorldTransport {
  readonly transport: LockServiceTransport;
  /** The loopback URL when a real server was started. */
  readonly url?: string;
  close(): Promise<void>;
}

export async function connect(kind: TransportKind, service: LockService): Promise<WorldTransport> {
  switch (kind) {
    case "direct":
      return { transport: directTransport(service), close: async () => undefined };
    case "in-process":
      // Our own app reads only what a light Request answers without building undici's (1.25x faster library runs).
      return { transport: inProcessTransport(createApp(service), { lightRequests: true }), close: async () => undefined };
    case "http":
    case "fetch": {
      // Loaded only for a real socket: undici and the Node server adapter are a large part of a run's start-up.
      const { startServer } = await import("../mock-server/http/node-server.ts");
      const server = await startServer(createApp(service), { host: "127.0.0.1", port: 0 });
      const transport = kind === "http" ? (await import("../device-sim/transports/pool.ts")).poolTransport(server.url) : (await import("../device-sim/transports/fetch.ts")).fetchTransport(server.url);
      return {
        transport,
        url: server.url,
        close: async () => {
          await transport.close?.();
          await server.close();
        },
      };
    }
  }
}
