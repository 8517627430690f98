import type { Hono } from "hono";
import { expect } from "vitest";
import type { z } from "zod";
import { imeiFrom } from "../../protocol/imei.ts";
import { CheckinReady } from "../../protocol/messages/device.ts";
import { RegisterDeviceResponse } from "../../protocol/messages/lender.ts";
import { EventsResponse } from "../../protocol/messages/sim.ts";
import { Problem, type ProblemCode } from "../../protocol/problem.ts";
import { createLockService, testKeys } from "../create.ts";
import type { LockService } from "../service.ts";
import { createApp } from "./app.ts";
import { mountDocs } from "./docs.ts";

/**
 * Shared helpers of the HTTP edge tests (validation, auth, contract): an in-process app over a fresh lock
 * service, a request helper, problem assertions and a snapshot of everything a request could change.
 */

export const ADMIN = testKeys.admin;
export const SUPPORT = testKeys.support;
export const LENDER_A = testKeys.lenders["lender-a"] ?? "lender-a-key";
export const LENDER_B = testKeys.lenders["lender-b"] ?? "lender-b-key";

/** A valid IMEI numbered `n` (a fixed 14-digit body plus its Luhn check digit). */
export function testImei(n: number): string {
  return imeiFrom(String(35_209_900_000_000 + n));
}

/** The same IMEI with a wrong check digit. */
export function withBadCheckDigit(imei: string): string {
  return imei.slice(0, 14) + String((Number(imei[14]) + 1) % 10);
}

export interface SendOptions {
  readonly token?: string;
  /** Sent as JSON with `Content-Type: application/json`. */
  readonly body?: unknown;
  /** Sent verbatim (with `contentType`, default application/json); wins over `body`. */
  readonly raw?: string | Uint8Array<ArrayBuffer>;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Harness {
  readonly service: LockService;
  readonly app: Hono;
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
  /** `send` with a JSON body (or none when `body` is undefined). */
  json(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
}

export function createHarness(): Harness {
  const service = createLockService();
  const app = createApp(service, { pages: mountDocs });
  const send = async (method: string, path: string, options: SendOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      if (options.contentType !== undefined) headers["content-type"] = options.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = options.contentType ?? "application/json";
    }
    return app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  };
  return {
    service,
    app,
    send,
    json: (method, path, body, token) => send(method, path, { ...(body !== undefined ? { body } : {}), ...(token !== undefined ? { token } : {}) }),
  };
}

/** Reads a JSON body through a protocol schema, so a test works with typed values and a wrong shape fails loudly. */
export async function readBody<S extends z.ZodType>(response: Response, schema: S): Promise<z.output<S>> {
  const body: unknown = await response.json();
  return schema.parse(body);
}

/** Asserts an RFC 9457 problem answer with the given status and stable code, and returns its body. */
export async function expectProblem(response: Response, status: number, code: ProblemCode): Promise<Problem> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status });
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/problem\+json/);
  const body: unknown = JSON.parse(text);
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    }),
  );
  return Problem.parse(body);
}

export interface Enrolled {
  readonly deviceId: string;
  readonly imei: string;
  readonly deviceToken: string;
  readonly deviceSecret: string;
}

export async function registerDevice(h: Harness, imei: string, accountId: string, token = LENDER_A): Promise<string> {
  const response = await h.json("POST", "/v1/lender/devices", { imei, accountId, contact: { phone: "+4930123456" } }, token);
  expect(response.status).toBe(201);
  return (await readBody(response, RegisterDeviceResponse)).deviceId;
}

export async function checkin(h: Harness, imei: string): Promise<Enrolled> {
  const response = await h.json("POST", "/v1/devices/checkin", { identifiers: [{ type: "imei", value: imei }] });
  expect(response.status).toBe(200);
  const ready = await readBody(response, CheckinReady);
  return { deviceId: ready.deviceId, imei, deviceToken: ready.deviceToken, deviceSecret: ready.deviceSecret };
}

export async function heartbeat(h: Harness, device: Enrolled, seq: number): Promise<Response> {
  return h.json("POST", `/v1/devices/${device.deviceId}/heartbeat`, { seq, state: "active", nonce: `nonce-${seq}-abcdefgh` }, device.deviceToken);
}

/**
 * A small world: lender A's account `acct-1` with device `one` (checked in, one heartbeat) and account
 * `acct-2` with device `two` (checked in). IMEI 3 is free (never registered).
 */
export interface World extends Harness {
  readonly one: Enrolled;
  readonly two: Enrolled;
  readonly freeImei: string;
}

export async function createWorld(): Promise<World> {
  const h = createHarness();
  await registerDevice(h, testImei(1), "acct-1");
  await registerDevice(h, testImei(2), "acct-2");
  const one = await checkin(h, testImei(1));
  const two = await checkin(h, testImei(2));
  expect((await heartbeat(h, one, 0)).status).toBe(200);
  return { ...h, one, two, freeImei: testImei(3) };
}

/** Reads that log an event of their own: they are left out when comparing state. */
export const READ_EVENT_TYPES: ReadonlySet<string> = new Set(["account.viewed", "device.looked_up"]);

export async function adminEvents(h: Harness, after = 0): Promise<z.output<typeof EventsResponse>["events"]> {
  const response = await h.json("GET", `/v1/sim/events?after=${after}`, undefined, ADMIN);
  expect(response.status).toBe(200);
  return (await readBody(response, EventsResponse)).events;
}

export interface StateSnapshot {
  /** `seq type` of every event that is not a plain read, via the admin endpoint. */
  readonly events: readonly string[];
  /** The service's records, read straight from its store, clock, jobs and faults. */
  readonly records: unknown;
  /** What the lender and support see over HTTP. */
  readonly views: unknown;
}

const PROBE_ACCOUNTS: readonly (readonly [string, string])[] = [
  ["lender-a", "acct-1"],
  ["lender-a", "acct-2"],
  ["lender-a", "acct-new"],
  ["lender-b", "acct-1"],
  ["lender-b", "acct-new"],
];

/** Everything a request to the world could change, to compare before and after a refused request. */
export async function snapshotWorld(w: World): Promise<StateSnapshot> {
  const events = (await adminEvents(w)).filter((event) => !READ_EVENT_TYPES.has(event.type)).map((event) => `${event.seq} ${event.type}`);
  const { store, clock, faults } = w.service.state;
  const records = JSON.parse(
    JSON.stringify({
      accounts: PROBE_ACCOUNTS.map(([lenderId, accountId]) => store.getAccount(lenderId, accountId) ?? null),
      devices: [w.one.deviceId, w.two.deviceId].map((id) => store.getDevice(id) ?? null),
      byImei: [1, 2, 3, 4, 5].map((n) => store.findDeviceByImei(testImei(n))?.deviceId ?? null),
      deviceCount: store.deviceCount(),
      now: clock.now(),
      speed: clock.speed(),
      pending: clock.pending(),
      faults,
    }),
  ) as unknown;
  const view = async (path: string, token: string): Promise<unknown> => {
    const response = await w.json("GET", path, undefined, token);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const views = {
    account1: await view("/v1/lender/accounts/acct-1", LENDER_A),
    account2: await view("/v1/lender/accounts/acct-2", LENDER_A),
    lookup1: await view(`/v1/support/devices?imei=${w.one.imei}`, SUPPORT),
    lookupFree: await view(`/v1/support/devices?imei=${w.freeImei}`, SUPPORT),
    clock: await view("/v1/sim/clock", ADMIN),
    faults: await view("/v1/sim/faults", ADMIN),
  };
  return { events, records, views };
}

/** Deadline for reads that could otherwise hang a test (SSE streams). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
