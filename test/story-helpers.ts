import { setupServer, type SetupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { DeviceAgent } from "../device-sim/agent.ts";
import { ProblemError } from "../protocol/problem.ts";
import { World, type WorldOptions } from "../scenarios/world.ts";

const open = new Set<World>();

/** A world that `closeWorlds` (run it in afterEach) shuts down with its loopback server, if any. */
export async function newWorld(options: WorldOptions = {}): Promise<World> {
  const world = await World.create({ seed: 42, ...options });
  open.add(world);
  return world;
}

export async function closeWorlds(): Promise<void> {
  for (const world of open) await world.close();
  open.clear();
}

/** A world with one financed phone on account acct-1, checked in and running. */
export async function oneFinancedPhone(options: WorldOptions = {}): Promise<{ world: World; phone: DeviceAgent }> {
  const world = await newWorld(options);
  const phone = await world.addDevice({ accountId: "acct-1", lockMessage: "Your Acme Phones installment is overdue." });
  await world.runFor("PT1M");
  return { world, phone };
}

export function reportDefault(world: World, options: { reportId?: string; gracePeriod?: string; value?: number } = {}) {
  return world.lender().call("reportDefault", {
    params: { accountId: "acct-1" },
    body: {
      reportId: options.reportId ?? "r-1",
      amountDue: { value: options.value ?? 49.99, currency: "EUR" },
      dueDate: "2026-03-01",
      ...(options.gracePeriod ? { gracePeriod: options.gracePeriod } : {}),
    },
  });
}

export function pay(world: World, options: { paymentId?: string; value?: number } = {}) {
  return world.lender().call("recordPayment", {
    params: { accountId: "acct-1" },
    body: { paymentId: options.paymentId ?? "p-1", amount: { value: options.value ?? 49.99, currency: "EUR" } },
  });
}

export function account(world: World) {
  return world.lender().call("getAccount", { params: { accountId: "acct-1" } });
}

/** The problem a call failed with (fails the test if it succeeded). */
export async function problemOf(call: Promise<unknown>): Promise<ProblemError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("expected the call to fail with a problem");
}

export function deviceIdOf(phone: DeviceAgent): string {
  const id = phone.deviceId;
  if (!id) throw new Error("the phone has not checked in");
  return id;
}

/**
 * A man in the middle for the `fetch` transport: an MSW server, listening for the enclosing suite and
 * reset after each test. Calls its handlers do not match go through to the real loopback server.
 */
export function manInTheMiddle(): SetupServer {
  const mock = setupServer();
  beforeAll(() => mock.listen({ onUnhandledRequest: "bypass" }));
  afterEach(() => mock.resetHandlers());
  afterAll(() => mock.close());
  return mock;
}
