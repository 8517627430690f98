import type { OperationId, ResponseOf, ValidRequest } from "../../protocol/operations.ts";
import type { Principal } from "../auth.ts";
import type { ServiceState } from "../state.ts";

/**
 * A handler gets the validated request and the authenticated caller, and returns the success body or
 * throws a ProblemError. It never sees HTTP: the same handler serves every transport.
 */
export type Handler<K extends OperationId> = (
  state: ServiceState,
  caller: Principal,
  request: ValidRequest<K>,
) => ResponseOf<K> | Promise<ResponseOf<K>>;

export type Handlers<K extends OperationId> = { readonly [P in K]: Handler<P> };

/** Narrows the caller to the role the operation table already enforced. */
export function lenderOf(caller: Principal): string {
  if (caller.role !== "lender") throw new Error(`expected a lender, got ${caller.role}`);
  return caller.lenderId;
}
