import { serve, type Http2Bindings, type HttpBindings } from "@hono/node-server";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Hono } from "hono";
import { DroppedConnection } from "../service.ts";
import { answerClientErrorsAsProblems, serverOptions, type SocketLimits } from "./socket-limits.ts";

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Sockets the server holds open now (a test checks that one it cut off is gone). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** Replaces some of the socket limits (socket-limits.ts); the defaults are the ones README "Security model" names. */
  readonly socketLimits?: Partial<SocketLimits>;
}

/**
 * Serves the app on a real socket. The `drop` fault becomes what a client would see from a dead
 * peer: the socket is destroyed without an answer.
 */
export function startServer(app: Hono, options: ServerOptions = {}): Promise<RunningServer> {
  const hostname = options.host ?? "127.0.0.1";
  const limits = serverOptions(options.socketLimits);
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        hostname,
        port: options.port ?? 0,
        serverOptions: limits,
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
          connections: () => new Promise<number>((done, fail) => server.getConnections((error, count) => (error ? fail(error) : done(count)))),
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
    if ("headersTimeout" in server) answerClientErrorsAsProblems(server as HttpServer, limits.maxHeaderSize);
  });
}
