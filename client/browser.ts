/**
 * `heartlock/client` for browsers: everything but the undici pool transport (Node only).
 */
export { createClient, type CallInput, type ClientMethods, type ClientOptions, type LockServiceClient } from "./create-client.ts";
export { HeartlockClient } from "../device-sim/transports/typed-client.ts";
export { directTransport } from "../device-sim/transports/direct.ts";
export { fetchTransport } from "../device-sim/transports/fetch.ts";
export { inProcessTransport, type FetchHandler } from "../device-sim/transports/in-process.ts";
export { TransportError, type LockServiceTransport, type Reply } from "../device-sim/transports/transport.ts";
export { ProblemError, problemCodes, type Problem, type ProblemCode } from "../protocol/problem.ts";
export { operations, type OperationId, type RequestOf, type ResponseOf } from "../protocol/operations.ts";
export { verifyResponse, signResponse } from "../protocol/signing.ts";
