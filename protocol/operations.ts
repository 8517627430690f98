import { z } from "zod";
import * as device from "./messages/device.ts";
import * as lender from "./messages/lender.ts";
import * as sim from "./messages/sim.ts";
import * as support from "./messages/support.ts";

/**
 * Every operation of PROTOCOL.md in one table. The HTTP routes, the OpenAPI document, the direct
 * transport and the typed client are all derived from it, so a path, role or schema is written once.
 */
export type Role = "none" | "device" | "lender" | "support" | "admin";
export type Method = "get" | "post" | "patch" | "delete";

export interface Operation {
  readonly method: Method;
  /** OpenAPI path template, e.g. `/v1/devices/{deviceId}/heartbeat`. */
  readonly path: string;
  readonly role: Role;
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** Present for operations that take a JSON body; `bodyOptional` ones accept none at all. */
  readonly body?: z.ZodType;
  readonly bodyOptional?: boolean;
  readonly status: 200 | 201 | 202;
  readonly response: z.ZodType;
  /** Problem statuses this operation can answer besides the 400/401/403 every guarded call may give. */
  readonly problems: readonly number[];
}

const op = <const T extends Operation>(definition: T): T => definition;

export const operations = {
  registerDevice: op({
    method: "post",
    path: "/v1/lender/devices",
    role: "lender",
    summary: "Register a financed device under one of the lender's accounts",
    body: lender.RegisterDeviceRequest,
    status: 201,
    response: lender.RegisterDeviceResponse,
    problems: [409],
  }),
  reportDefault: op({
    method: "post",
    path: "/v1/lender/accounts/{accountId}/defaults",
    role: "lender",
    summary: "Report a missed payment (default now, or overdue with a grace period)",
    params: lender.AccountParams,
    body: lender.ReportDefaultRequest,
    status: 202,
    response: lender.ReportDefaultResponse,
    problems: [404, 409],
  }),
  recordPayment: op({
    method: "post",
    path: "/v1/lender/accounts/{accountId}/payments",
    role: "lender",
    summary: "Record a payment at the lender; it reaches the lock service through the delayed sync",
    params: lender.AccountParams,
    body: lender.RecordPaymentRequest,
    status: 202,
    response: lender.RecordPaymentResponse,
    problems: [404, 409],
  }),
  completeLoan: op({
    method: "post",
    path: "/v1/lender/accounts/{accountId}/complete",
    role: "lender",
    summary: "Mark the loan paid off; devices are released at their next heartbeat",
    params: lender.AccountParams,
    body: z.object({}).meta({ id: "CompleteLoanRequest" }),
    bodyOptional: true,
    status: 200,
    response: lender.CompleteLoanResponse,
    problems: [404],
  }),
  getAccount: op({
    method: "get",
    path: "/v1/lender/accounts/{accountId}",
    role: "lender",
    summary: "Read an account's standing, sync and devices",
    params: lender.AccountParams,
    status: 200,
    response: lender.AccountView,
    problems: [404],
  }),
  checkin: op({
    method: "post",
    path: "/v1/devices/checkin",
    role: "none",
    summary: "Enrol a device by IMEI (again after a factory reset)",
    body: device.CheckinRequest,
    status: 200,
    response: device.CheckinResponse,
    problems: [],
  }),
  heartbeat: op({
    method: "post",
    path: "/v1/devices/{deviceId}/heartbeat",
    role: "device",
    summary: "Report the device's state and receive its signed command",
    params: device.DeviceParams,
    body: device.HeartbeatRequest,
    status: 200,
    response: device.HeartbeatResponse,
    problems: [404, 409],
  }),
  unlockAttempt: op({
    method: "post",
    path: "/v1/devices/{deviceId}/unlock-attempts",
    role: "device",
    summary: "Try a one-time unlock code typed on the lock screen",
    params: device.DeviceParams,
    body: device.UnlockAttemptRequest,
    status: 200,
    response: device.UnlockAttemptResponse,
    problems: [404, 410, 422, 429],
  }),
  supportLookup: op({
    method: "get",
    path: "/v1/support/devices",
    role: "support",
    summary: "Find a device by IMEI",
    query: support.SupportLookupQuery,
    status: 200,
    response: support.SupportDeviceView,
    problems: [404],
  }),
  refresh: op({
    method: "post",
    path: "/v1/support/devices/{deviceId}/refresh",
    role: "support",
    summary: "Manual signal refresh: re-run a pending or failed sync now",
    params: device.DeviceParams,
    body: z.object({}).meta({ id: "RefreshRequest" }),
    bodyOptional: true,
    status: 200,
    response: support.RefreshResponse,
    problems: [404],
  }),
  issueUnlockCode: op({
    method: "post",
    path: "/v1/support/devices/{deviceId}/unlock-codes",
    role: "support",
    summary: "Issue an 8-digit, single-use unlock code valid 72 hours",
    params: device.DeviceParams,
    body: z.object({}).meta({ id: "UnlockCodeRequest" }),
    bodyOptional: true,
    status: 201,
    response: support.UnlockCodeResponse,
    problems: [404, 409],
  }),
  resetAttempts: op({
    method: "post",
    path: "/v1/support/devices/{deviceId}/reset-attempts",
    role: "support",
    summary: "Heartlock addition: clear the device's wrong-code counter and cooldown (journaled)",
    params: device.DeviceParams,
    body: z.object({}).meta({ id: "ResetAttemptsRequest" }),
    bodyOptional: true,
    status: 200,
    response: support.ResetAttemptsResponse,
    problems: [404],
  }),
  issueOfflineCode: op({
    method: "post",
    path: "/v1/support/devices/{deviceId}/offline-codes",
    role: "support",
    summary: "Answer the challenge a locked, offline device shows",
    params: device.DeviceParams,
    body: support.OfflineCodeRequest,
    status: 200,
    response: support.OfflineCodeResponse,
    problems: [404, 409],
  }),
  getClock: op({
    method: "get",
    path: "/v1/sim/clock",
    role: "admin",
    summary: "Read the simulated clock",
    status: 200,
    response: sim.ClockView,
    problems: [],
  }),
  patchClock: op({
    method: "patch",
    path: "/v1/sim/clock",
    role: "admin",
    summary: "Advance, set or change the speed of the simulated clock (due jobs run in time order)",
    body: sim.ClockPatch,
    status: 200,
    response: sim.ClockView,
    problems: [409],
  }),
  listEvents: op({
    method: "get",
    path: "/v1/sim/events",
    role: "admin",
    summary: "Read the event journal after a seq (text/event-stream streams it live)",
    query: sim.EventsQuery,
    status: 200,
    response: sim.EventsResponse,
    problems: [],
  }),
  listFaults: op({
    method: "get",
    path: "/v1/sim/faults",
    role: "admin",
    summary: "List the active faults",
    status: 200,
    response: sim.FaultList,
    problems: [],
  }),
  addFault: op({
    method: "post",
    path: "/v1/sim/faults",
    role: "admin",
    summary: "Inject a fault",
    body: sim.FaultRequest,
    // PROTOCOL.md lists no status for this call, so it answers 200.
    status: 200,
    response: sim.Fault,
    problems: [],
  }),
  clearFaults: op({
    method: "delete",
    path: "/v1/sim/faults",
    role: "admin",
    summary: "Clear every fault",
    status: 200,
    response: sim.FaultsCleared,
    problems: [],
  }),
  reset: op({
    method: "post",
    path: "/v1/sim/reset",
    role: "admin",
    summary: "Clear all state (accounts, devices, codes, faults, journal, pending jobs)",
    body: z.object({}).meta({ id: "ResetRequest" }),
    bodyOptional: true,
    status: 200,
    response: sim.ResetResponse,
    problems: [],
  }),
} as const satisfies Record<string, Operation>;

export type Operations = typeof operations;
export type OperationId = keyof Operations;

type Input<S> = S extends z.ZodType ? z.input<S> : undefined;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A call as it arrives at an edge, before validation. */
export interface RawRequest {
  readonly token?: string;
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

/** What a caller sends: the raw (pre-validation) shapes. */
export interface RequestOf<K extends OperationId> {
  token?: string;
  params?: Input<Operations[K] extends { params: infer P } ? P : undefined>;
  query?: Input<Operations[K] extends { query: infer Q } ? Q : undefined>;
  body?: Input<Operations[K] extends { body: infer B } ? B : undefined>;
}

/** What the handler receives once validated. */
export interface ValidRequest<K extends OperationId> {
  params: Output<Operations[K] extends { params: infer P } ? P : undefined>;
  query: Output<Operations[K] extends { query: infer Q } ? Q : undefined>;
  body: Output<Operations[K] extends { body: infer B } ? B : undefined>;
}

export type ResponseOf<K extends OperationId> = z.output<Operations[K]["response"]>;

/** Fills an OpenAPI path template: `/v1/devices/{deviceId}` + `{ deviceId: "d1" }`. */
export function pathFor(template: string, params: Record<string, string> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}
