import { beforeEach, describe, expect, it } from "vitest";
import { operations, pathFor, type Operation, type OperationId, type Role } from "../../protocol/operations.ts";
import { CheckinReady, CheckinResponse } from "../../protocol/messages/device.ts";
import {
  ADMIN,
  checkin,
  createHarness,
  createWorld,
  expectProblem,
  heartbeat,
  LENDER_A,
  LENDER_B,
  readBody,
  registerDevice,
  snapshotWorld,
  SUPPORT,
  testImei,
  type World,
} from "./test-helpers.ts";

/** PROTOCOL.md "Roles and authentication": 401 without a valid token, 403 for another role, 404 where existence must not leak. */

type GuardedRole = Exclude<Role, "none">;
const guardedRoles: readonly GuardedRole[] = ["device", "lender", "support", "admin"];

const guarded = (Object.entries(operations) as [OperationId, Operation][]).filter(
  (entry): entry is [OperationId, Operation & { role: GuardedRole }] => entry[1].role !== "none",
);

function urlOf(w: World, op: Operation): string {
  const path = pathFor(op.path, { deviceId: w.one.deviceId, accountId: "acct-1" });
  return op.path === "/v1/support/devices" ? `${path}?imei=${w.one.imei}` : path;
}

function tokenOf(w: World, role: GuardedRole): string {
  switch (role) {
    case "device":
      return w.one.deviceToken;
    case "lender":
      return LENDER_A;
    case "support":
      return SUPPORT;
    case "admin":
      return ADMIN;
  }
}

const wrongRoleCases = guarded.flatMap(([id, op]) =>
  guardedRoles.filter((role) => role !== op.role).map((caller) => ({ id, op, caller, route: `${op.method.toUpperCase()} ${op.path}` })),
);

describe("a call without a valid token is refused with 401", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  it.each(guarded.map(([id, op]) => ({ id, op, route: `${op.method.toUpperCase()} ${op.path}` })))(
    "$route without a token answers 401 unauthorized and changes nothing",
    async ({ op }) => {
      const before = await snapshotWorld(w);
      await expectProblem(await w.send(op.method.toUpperCase(), urlOf(w, op)), 401, "unauthorized");
      expect(await snapshotWorld(w)).toEqual(before);
    },
  );

  it.each(guarded.map(([id, op]) => ({ id, op, route: `${op.method.toUpperCase()} ${op.path}` })))(
    "$route with an unknown token answers 401 unauthorized and changes nothing",
    async ({ op }) => {
      const before = await snapshotWorld(w);
      await expectProblem(await w.send(op.method.toUpperCase(), urlOf(w, op), { token: "not-a-key" }), 401, "unauthorized");
      expect(await snapshotWorld(w)).toEqual(before);
    },
  );

  it("refuses a call without a token with 401 even when its body breaks the schema", async () => {
    await expectProblem(await w.json("POST", "/v1/lender/devices", { imei: 1 }), 401, "unauthorized");
  });

  // The token is checked before the body is read, so a caller without one hears 401 whatever it sent.
  it.each([
    { what: "malformed JSON", raw: '{"imei":', contentType: "application/json" },
    { what: "a text/plain body", raw: "hello", contentType: "text/plain" },
  ])("refuses a call without a token with 401 even when its body is $what", async ({ raw, contentType }) => {
    await expectProblem(await w.send("POST", "/v1/lender/devices", { raw, contentType }), 401, "unauthorized");
  });

  it("refuses a key sent with another scheme than Bearer", async () => {
    const response = await w.send("GET", "/v1/sim/clock", { headers: { authorization: `Basic ${ADMIN}` } });
    await expectProblem(response, 401, "unauthorized");
  });

  it("refuses the live event stream without a token", async () => {
    const response = await w.send("GET", "/v1/sim/events", { headers: { accept: "text/event-stream" } });
    await expectProblem(response, 401, "unauthorized");
  });
});

describe("a token of another role is refused with 403", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  it.each(wrongRoleCases)("a $caller token on $route answers 403 forbidden and changes nothing", async ({ op, caller }) => {
    const before = await snapshotWorld(w);
    const response = await w.send(op.method.toUpperCase(), urlOf(w, op), { token: tokenOf(w, caller) });
    await expectProblem(response, 403, "forbidden");
    expect(await snapshotWorld(w)).toEqual(before);
  });

  it("a lender token cannot open the live event stream", async () => {
    const response = await w.send("GET", "/v1/sim/events", { token: LENDER_A, headers: { accept: "text/event-stream" } });
    await expectProblem(response, 403, "forbidden");
  });
});

describe("a party cannot reach another party's resources, and cannot tell they exist", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  it.each([
    { what: "heartbeat", path: (id: string) => `/v1/devices/${id}/heartbeat`, body: { seq: 5, state: "active", nonce: "nonce-abcdefgh" } },
    { what: "unlock attempt", path: (id: string) => `/v1/devices/${id}/unlock-attempts`, body: { code: "12345678" } },
  ])("a device token sending a $what for another device's id gets the same 404 not_found as for an unknown id", async ({ path, body }) => {
    const before = await snapshotWorld(w);
    const other = await w.json("POST", path(w.two.deviceId), body, w.one.deviceToken);
    const otherProblem = await expectProblem(other, 404, "not_found");
    const unknown = await w.json("POST", path("dev-unknown"), body, w.one.deviceToken);
    const unknownProblem = await expectProblem(unknown, 404, "not_found");
    expect(otherProblem.detail.replace(w.two.deviceId, "<id>")).toBe(unknownProblem.detail.replace("dev-unknown", "<id>"));
    expect(await snapshotWorld(w)).toEqual(before);
  });

  it.each([
    { what: "read", method: "GET", path: (a: string) => `/v1/lender/accounts/${a}`, body: undefined },
    {
      what: "report a default on",
      method: "POST",
      path: (a: string) => `/v1/lender/accounts/${a}/defaults`,
      body: { reportId: "r-b", amountDue: { value: 10, currency: "EUR" }, dueDate: "2026-03-01" },
    },
    {
      what: "record a payment on",
      method: "POST",
      path: (a: string) => `/v1/lender/accounts/${a}/payments`,
      body: { paymentId: "p-b", amount: { value: 10, currency: "EUR" } },
    },
    { what: "complete", method: "POST", path: (a: string) => `/v1/lender/accounts/${a}/complete`, body: undefined },
  ])("lender B trying to $what lender A's account gets the same 404 as for an account that does not exist", async ({ method, path, body }) => {
    const before = await snapshotWorld(w);
    const theirs = await expectProblem(await w.json(method, path("acct-1"), body, LENDER_B), 404, "not_found");
    const missing = await expectProblem(await w.json(method, path("acct-ghost"), body, LENDER_B), 404, "not_found");
    expect({ ...theirs, detail: theirs.detail.replace("acct-1", "<id>") }).toEqual({ ...missing, detail: missing.detail.replace("acct-ghost", "<id>") });
    expect(await snapshotWorld(w)).toEqual(before);
    // And lender A still sees its account in good standing.
    const view = await w.json("GET", "/v1/lender/accounts/acct-1", undefined, LENDER_A);
    expect(view.status).toBe(200);
  });
});

describe("an IMEI is financed once", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  it.each([
    { who: "the same lender on the same account", token: LENDER_A, lenderId: "lender-a", accountId: "acct-1" },
    { who: "the same lender on a new account", token: LENDER_A, lenderId: "lender-a", accountId: "acct-new" },
    { who: "another lender", token: LENDER_B, lenderId: "lender-b", accountId: "acct-new" },
  ])("registering an already registered IMEI again by $who answers 409 conflict and creates nothing", async ({ token, lenderId, accountId }) => {
    const before = await snapshotWorld(w);
    const response = await w.json("POST", "/v1/lender/devices", { imei: w.one.imei, accountId, contact: { email: "help@lender.example" } }, token);
    await expectProblem(response, 409, "conflict");
    expect(await snapshotWorld(w)).toEqual(before);
    expect(w.service.state.store.findDeviceByImei(w.one.imei)?.deviceId).toBe(w.one.deviceId);
    if (accountId === "acct-new") expect(w.service.state.store.getAccount(lenderId, accountId)).toBeUndefined();
  });
});

describe("calls that need no token", () => {
  it("lets a registered phone check in without any token", async () => {
    const h = createHarness();
    await registerDevice(h, testImei(7), "acct-7");
    const response = await h.json("POST", "/v1/devices/checkin", { identifiers: [{ type: "imei", value: testImei(7) }] });
    expect(response.status).toBe(200);
    expect((await readBody(response, CheckinReady)).status).toBe("ready");
  });

  it("tells an unregistered phone to stop, without any token", async () => {
    const h = createHarness();
    const response = await h.json("POST", "/v1/devices/checkin", { identifiers: [{ type: "imei", value: testImei(8) }] });
    expect(response.status).toBe(200);
    expect(await readBody(response, CheckinResponse)).toEqual({ status: "stop" });
  });

  it("ignores a stale token on check-in rather than refusing the phone", async () => {
    const h = createHarness();
    await registerDevice(h, testImei(7), "acct-7");
    const response = await h.send("POST", "/v1/devices/checkin", { token: "dt-stale", body: { identifiers: [{ type: "imei", value: testImei(7) }] } });
    expect(response.status).toBe(200);
  });

  it("answers /healthz with 200 { ok: true } without any token", async () => {
    const h = createHarness();
    const response = await h.send("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe("a re-check-in replaces the device's credentials", () => {
  it("keeps the deviceId, and the old device token stops working with 401 while the new one works", async () => {
    const w = await createWorld();
    const again = await checkin(w, w.one.imei);
    expect(again.deviceId).toBe(w.one.deviceId);
    expect(again.deviceToken).not.toBe(w.one.deviceToken);
    expect(again.deviceSecret).not.toBe(w.one.deviceSecret);

    await expectProblem(await heartbeat(w, w.one, 1), 401, "unauthorized");
    expect((await heartbeat(w, again, 1)).status).toBe(200);
  });
});
