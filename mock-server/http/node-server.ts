import { serve, type Http2Bindings, type HttpBindings } from "@hono/node-server";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Hono } from "hono";
import { DroppedConnection } from "../service.ts";
import { answerClientErrorsAsProblems, serverOptions } from "./socket-limits.ts";

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the app on a real socket. The `drop` fault becomes what a client would see from a dead
 * peer: the socket is destroyed without an answer.
 */
export function startServer(app: Hono, options: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const hostname = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        hostname,
        port: options.port ?? 0,
        serverOptions,
        fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
          try {
            return await app.fetch(request, env);
          } catch (error) {
            if (!(error instanceof DroppedConnection)) throw error;
            env.incoming.socket.destroy(); // HTTP/1 and HTTP/2 requests both expose their socket
            return new Response(null, { status: 499 });
          }
        },
      },
      (info: AddressInfo) => {
        const host = hostname.includes(":") ? `[${hostname}]` : hostname;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              // Keep-alive sockets (undici Pool, SSE) would hold close() open: end them.
              if ("closeAllConnections" in server) server.closeAllConnections();
              server.close(() => done());
            }),
        });
      },
    );
    server.once("error", reject);
    if ("headersTimeout" in server) answerClientErrorsAsProblems(server as HttpServer);
  });
}
