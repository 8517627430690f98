import { operations, type OperationId, type RawRequest, type ValidRequest } from "../protocol/operations.ts";
import { invalidRequest, ProblemError, problemHeaders } from "../protocol/problem.ts";
import type { Principal } from "./auth.ts";
import { findFault, type Subject } from "./faults.ts";
import { mitmAnswer, type MitmAnswer } from "./mitm.ts";
import { deviceHandlers } from "./handlers/device.ts";
import { lenderHandlers } from "./handlers/lender.ts";
import { simHandlers } from "./handlers/sim.ts";
import { supportHandlers } from "./handlers/support.ts";
import type { Handler, Handlers } from "./handlers/types.ts";
import { ServiceState, type ServiceDeps } from "./state.ts";
import type { ZodType } from "zod";
import { safeParse } from "../protocol/fast-parse.ts";
import { DroppedConnection, type OperationInvoker, type Outcome } from "../protocol/outcome.ts";

// The answer's shape and the drop signal are the protocol's (every transport reads them); re-exported here.
export { DroppedConnection, type Outcome } from "../protocol/outcome.ts";

const handlers: Handlers<OperationId> = { ...lenderHandlers, ...deviceHandlers, ...supportHandlers, ...simHandlers };

/**
 * The lock service's typed operations. Every transport calls `invoke`: it authenticates, validates with
 * the protocol's zod schemas, applies faults and runs the handler, so the direct transport, the Hono
 * routes and MSW share one behaviour. Invalid input is refused before any handler runs, so it never
 * changes state.
 */
export class LockService implements OperationInvoker {
  readonly state: ServiceState;

  constructor(deps: ServiceDeps) {
    this.state = new ServiceState(deps);
  }

  async invoke(id: OperationId, request: RawRequest): Promise<Outcome> {
    // A latency fault slows every answer to the call it matched, problems included.
    let delay: { delayMs?: number } = {};
    try {
      const op = operations[id];
      // A man in the middle answers before the service sees the call (it has no token of his to check).
      const intercepted = this.intercept(id, request);
      if (intercepted) return intercepted;
      const caller = this.state.auth.require(op.role, request.token);
      const valid = validate(id, request);
      const delayMs = this.applyFaults(id, op.path, subjectOf(valid));
      if (delayMs) delay = { delayMs };
      const handler = handlers[id] as Handler<OperationId>;
      const body = await handler(this.state, caller, valid);
      return { status: op.status, body, headers: {}, ...delay };
    } catch (error) {
      if (error instanceof ProblemError) return { ...problemOutcome(error), ...delay };
      throw error;
    }
  }

  /** The `mitm` fault's answer to a device call, when one applies (see mitm.ts); the HTTP edge asks before its auth check. */
  intercept(id: OperationId, request: RawRequest): Outcome | undefined {
    const answer = this.mitm(id, request);
    return answer && { status: answer.status, body: answer.body, headers: answer.status >= 400 ? { "content-type": "application/problem+json" } : {} };
  }

  private mitm(id: OperationId, request: RawRequest): MitmAnswer | undefined {
    if (this.state.faults.length === 0 || (id !== "checkin" && id !== "heartbeat" && id !== "unlockAttempt")) return undefined;
    const params = (request.params ?? {}) as { deviceId?: unknown };
    const body = (request.body ?? {}) as { identifiers?: unknown };
    const imei = Array.isArray(body.identifiers) ? (body.identifiers as { value?: unknown }[]).map((i) => i.value).find((v) => typeof v === "string") : undefined;
    const subject = widenSubject(this.state, { deviceId: typeof params.deviceId === "string" ? params.deviceId : undefined, imei: typeof imei === "string" ? imei : undefined });
    const fault = findFault(this.state.faults, "mitm", subject, this.state.now());
    if (!fault) return undefined;
    const answer = mitmAnswer(this.state, id, request, subject.deviceId);
    if (answer) this.state.faultApplied(fault, { operation: id, ...(subject.deviceId ? { deviceId: subject.deviceId } : {}) });
    return answer;
  }

  /** Outage, drop and latency model the network in front of the service; the facilitator's own calls are spared. */
  private applyFaults(id: OperationId, path: string, basic: Subject): number | undefined {
    if (path.startsWith("/v1/sim/") || this.state.faults.length === 0) return undefined;
    const now = this.state.now();
    const subject = widenSubject(this.state, basic);
    const outage = findFault(this.state.faults, "outage", subject, now);
    if (outage) {
      this.state.faultApplied(outage, { operation: id });
      throw new ProblemError(503, "service_unavailable", "The lock service is down (outage fault). Try again later.", {
        retryAfterSeconds: 60,
      });
    }
    const drop = findFault(this.state.faults, "drop", subject, now);
    if (drop) {
      this.state.faultApplied(drop, { operation: id });
      throw new DroppedConnection();
    }
    const latency = findFault(this.state.faults, "latency", subject, now);
    if (latency) this.state.faultApplied(latency, { operation: id });
    return latency?.delayMs;
  }
}

/**
 * A call names a device, an IMEI or an account; a fault may target any of the three, so each is
 * completed from the others.
 */
function widenSubject(state: ServiceState, subject: Subject): Subject {
  const device =
    (subject.deviceId !== undefined ? state.store.getDevice(subject.deviceId) : undefined) ??
    (subject.imei !== undefined ? state.store.findDeviceByImei(subject.imei) : undefined);
  if (!device) return subject;
  return { deviceId: device.deviceId, imei: device.imei, accountId: subject.accountId ?? device.accountId };
}

function validate(id: OperationId, request: RawRequest): ValidRequest<OperationId> {
  const op = operations[id];
  if ("body" in op && op.body && request.body === undefined && !("bodyOptional" in op && op.bodyOptional)) {
    throw new ProblemError(400, "invalid_request", "body: a JSON body is required", { errors: [{ path: "body", message: "required" }] });
  }
  return {
    params: validPart("params" in op ? op.params : undefined, request.params, "path"),
    query: validPart("query" in op ? op.query : undefined, request.query, "query"),
    body: validPart("body" in op ? op.body : undefined, request.body, "body"),
  } as ValidRequest<OperationId>;
}

/* A module function, not an arrow inside validate: under tsx/vitest (esbuild keepNames) a named inner arrow is
 * re-named with Object.defineProperty on every call, and this runs twice per heartbeat. */
function validPart(schema: ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  // Only an absent part defaults to {}: a JSON `null` body is invalid input, not an empty one.
  const parsed = safeParse(schema, value === undefined ? {} : value);
  if (!parsed.success) throw invalidRequest(parsed.error, where);
  return parsed.data;
}

/** What the call is about, for targeted faults. */
function subjectOf(valid: ValidRequest<OperationId>): Subject {
  const params = (valid.params ?? {}) as { deviceId?: string; accountId?: string };
  const query = (valid.query ?? {}) as { imei?: string };
  const body = (valid.body ?? {}) as { accountId?: string; imei?: string; identifiers?: { type: string; value: string }[] };
  const imei = query.imei ?? body.imei ?? body.identifiers?.find((i) => i.type === "imei")?.value;
  return { deviceId: params.deviceId, accountId: params.accountId ?? body.accountId, imei };
}

function problemOutcome(error: ProblemError): Outcome {
  return { status: error.status, body: error.toProblem(), headers: problemHeaders(error) };
}

export type { Principal, RawRequest };
