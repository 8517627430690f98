import type { z } from "zod";
import type { OperationId, Operations, ResponseOf } from "../protocol/operations.ts";
import { operations } from "../protocol/operations.ts";
import { HeartlockClient } from "../device-sim/transports/typed-client.ts";
import type { LockServiceTransport } from "../device-sim/transports/transport.ts";

type Schema<K extends OperationId, F extends "params" | "query" | "body"> = Operations[K] extends { readonly [P in F]: infer S } ? S : never;
type InputOf<S> = S extends z.ZodType ? z.input<S> : never;

/** A part of the call that exists for this operation: required when it has required fields (or is a required body). */
type Part<K extends OperationId, F extends "params" | "query" | "body"> = [Schema<K, F>] extends [never]
  ? unknown
  : F extends "body"
    ? Operations[K] extends { readonly bodyOptional: true }
      ? { body?: InputOf<Schema<K, F>> }
      : { body: InputOf<Schema<K, F>> }
    : {} extends InputOf<Schema<K, F>>
      ? { [P in F]?: InputOf<Schema<K, F>> }
      : { [P in F]: InputOf<Schema<K, F>> };

/** What a call takes: its path parameters, query and JSON body, each only where the operation has one. */
export type CallInput<K extends OperationId> = Part<K, "params"> & Part<K, "query"> & Part<K, "body">;

/** One method per operation of the protocol table, named by its operationId (as in the OpenAPI document). */
export type ClientMethods = {
  [K in OperationId]: {} extends CallInput<K> ? (input?: CallInput<K>) => Promise<ResponseOf<K>> : (input: CallInput<K>) => Promise<ResponseOf<K>>;
};

export type LockServiceClient = ClientMethods & {
  /** The same client with another bearer token: a lender key, the support key, a device token. */
  as(token: string): LockServiceClient;
  readonly transport: LockServiceTransport;
};

export interface ClientOptions {
  /** How calls travel: fetchTransport(url), poolTransport(origin), inProcessTransport(app) or directTransport(service). */
  readonly transport: LockServiceTransport;
  /** Bearer token sent with every call (none for check-in). */
  readonly token?: string;
}

/**
 * A typed client for the whole of PROTOCOL.md, like hono's `hc`: `client.heartbeat({ params, body })` takes the
 * protocol's request shapes and resolves to its validated response; a problem answer rejects with one
 * ProblemError keeping status, code, detail, attemptsLeft, retryAfter and errors.
 */
export function createClient(options: ClientOptions): LockServiceClient {
  return clientOver(options.token === undefined ? new HeartlockClient(options.transport) : new HeartlockClient(options.transport, options.token));
}

function clientOver(inner: HeartlockClient): LockServiceClient {
  const methods = Object.fromEntries(
    (Object.keys(operations) as OperationId[]).map((id) => [id, (input: object = {}) => inner.call(id, input)]),
  ) as unknown as ClientMethods;
  return { ...methods, as: (token: string) => clientOver(inner.as(token)), transport: inner.transport };
}
