import { operations, type OperationId, type RequestOf, type ResponseOf } from "../../protocol/operations.ts";
import { Problem, ProblemError } from "../../protocol/problem.ts";
import type { LockServiceTransport } from "./transport.ts";

/** A problem answer as the one error class, every field kept (the body's `attemptsLeft` and `errors`, the `Retry-After` header). */
export function problemFromReply(status: number, problem: Problem, headers: Readonly<Record<string, string>>): ProblemError {
  const retryAfter = headers["retry-after"] === undefined ? undefined : Number(headers["retry-after"]);
  return new ProblemError(status, problem.code, problem.detail, {
    ...(retryAfter !== undefined && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.attemptsLeft !== undefined ? { attemptsLeft: problem.attemptsLeft } : {}),
  });
}

/**
 * A typed client over any transport: request shapes and response types come from the operation table,
 * answers are validated against the protocol's schemas, and a problem answer is thrown as a ProblemError
 * with its stable code.
 */
export class HeartlockClient {
  constructor(
    readonly transport: LockServiceTransport,
    private readonly token?: string,
  ) {}

  /** The same client with another bearer token (a lender key, the support key, a device token). */
  as(token: string): HeartlockClient {
    return new HeartlockClient(this.transport, token);
  }

  async call<K extends OperationId>(id: K, request: Omit<RequestOf<K>, "token"> = {}): Promise<ResponseOf<K>> {
    const reply = await this.transport.call(id, { ...request, token: this.token });
    if (reply.status >= 400) {
      const problem = Problem.safeParse(reply.body);
      if (!problem.success) throw new ProblemError(reply.status, "invalid_request", `HTTP ${reply.status} without a problem body`);
      throw problemFromReply(reply.status, problem.data, reply.headers);
    }
    const parsed = operations[id].response.safeParse(reply.body);
    if (!parsed.success) throw new Error(`${id}: the answer does not match the protocol: ${parsed.error.message}`);
    return parsed.data as ResponseOf<K>;
  }
}
