import type { OperationId, RawRequest } from "./operations.ts";

/**
 * What answering one operation gives back, whoever answers it: the lock service's `invoke`, read by every
 * transport. It lives in protocol/ so that a client (device-sim/transports/direct.ts) depends on this
 * contract and not on the mock server's internals.
 */
export interface Outcome {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** The `latency` fault: wall-clock milliseconds the HTTP edge waits before answering. */
  readonly delayMs?: number;
}

/** Anything that answers the protocol's operations from plain objects (a LockService). */
export interface OperationInvoker {
  invoke(id: OperationId, request: RawRequest): Promise<Outcome>;
}

/** The `drop` fault: the request vanishes and no answer comes. Each transport turns it into its own network error. */
export class DroppedConnection extends Error {
  readonly code = "HEARTLOCK_DROPPED";
  constructor() {
    super("the lock service dropped the connection (drop fault)");
    this.name = "DroppedConnection";
  }
}
