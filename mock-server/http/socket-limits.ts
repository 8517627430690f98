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

export const serverOptions = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  connectionsCheckingInterval: CHECK_INTERVAL_MS,
  maxHeaderSize: MAX_HEADER_BYTES,
};

/**
 * Node answers a request it cannot parse itself (oversized headers, a malformed request line, a timeout) with a
 * bare status line. Here it answers problem+json like every other refusal, then closes the socket.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, reason, code, detail] = describe(error.code);
    const body = JSON.stringify(problemBody(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}

function describe(code: string | undefined): [number, string, ProblemCode, string] {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "Request Header Fields Too Large", "invalid_request", `The request's headers are larger than ${MAX_HEADER_BYTES} bytes.`];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "Request Timeout", "invalid_request", "The request did not arrive in time; the connection is closed."];
    default:
      return [400, "Bad Request", "invalid_request", `The request could not be read as HTTP (${code ?? "malformed"}).`];
  }
}
