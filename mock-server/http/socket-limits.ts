import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { problemBody, type ProblemCode } from "../../protocol/problem.ts";

/**
 * Limits on the socket itself, for the Node server (README "Security model"): a client that stalls in its
 * headers is cut off after HEADERS_TIMEOUT_MS, a request must arrive whole within REQUEST_TIMEOUT_MS, and an idle
 * keep-alive socket closes after KEEP_ALIVE_TIMEOUT_MS. Node checks these every CHECK_INTERVAL_MS.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const CHECK_INTERVAL_MS = 1_000;
/** Node's default, named: headers larger than this are a 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** The options Node's HTTP server takes for these limits, in milliseconds and bytes. */
export interface SocketLimits {
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  readonly connectionsCheckingInterval: number;
  readonly maxHeaderSize: number;
}

export const defaultSocketLimits: SocketLimits = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  connectionsCheckingInterval: CHECK_INTERVAL_MS,
  maxHeaderSize: MAX_HEADER_BYTES,
};

/** The defaults with some replaced (a test shortens the timeouts so a stalled socket is cut off in a moment). */
export function serverOptions(limits: Partial<SocketLimits> = {}): SocketLimits {
  return { ...defaultSocketLimits, ...limits };
}

/**
 * Node answers a request it cannot parse itself (oversized headers, a malformed request line, a timeout) with a
 * bare status line. Here it answers problem+json like every other refusal, then closes the socket.
 */
export function answerClientErrorsAsProblems(server: Server, maxHeaderSize: number = MAX_HEADER_BYTES): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, reason, code, detail] = describe(error.code, maxHeaderSize);
    const body = JSON.stringify(problemBody(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}

function describe(code: string | undefined, maxHeaderSize: number): [number, string, ProblemCode, string] {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "Request Header Fields Too Large", "invalid_request", `The request's headers are larger than ${maxHeaderSize} bytes.`];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "Request Timeout", "invalid_request", "The request did not arrive in time; the connection is closed."];
    default:
      return [400, "Bad Request", "invalid_request", `The request could not be read as HTTP (${code ?? "malformed"}).`];
  }
}
