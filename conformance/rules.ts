import type { LockServiceTransport, Reply } from "../device-sim/transports/transport.ts";
import type { Keys } from "../mock-server/auth.ts";
import { imeiFrom } from "../protocol/imei.ts";
import type { OperationId, RawRequest } from "../protocol/operations.ts";
import { verifyResponse } from "../protocol/signing.ts";
import { brief } from "./brief.ts";

/**
 * Conformance: PROTOCOL.md's rules, each checked through the HTTP API alone against any implementation
 * (Heartlock's own mock, or a lender team's service). The target is reset and driven on its simulated
 * clock (`/v1/sim/…`, which it must offer), so a run takes seconds and never waits on real time. Each rule
 * says what it checked and, when it failed, what came back instead.
 */
export interface RuleResult {
  readonly id: string;
  readonly rule: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly detail?: string;
}

/** What PROTOCOL.md leaves to the implementation, so conformance cannot check it (listed with the table). */
export const NEEDS_HEARTLOCK = [
  "event types and their data (PROTOCOL.md says every change is an event, not what it is called): the library's event expectations",
  "a scenario's timeZone, holidays, policy and sync delay (the target's own configuration): sync.delay steps and business-time windows",
  "the exact time a sync lands (drawn by the mock's seeded random)",
] as const;

class Failed extends Error {}

interface Phone {
  readonly imei: string;
  readonly deviceId: string;
  readonly token: string;
  readonly secret: string;
  seq: number;
}

export async function checkConformance(transport: LockServiceTransport, keys: Keys): Promise<RuleResult[]> {
  const lenderId = Object.keys(keys.lenders)[0];
  if (lenderId === undefined) throw new Error("the keys name no lender");
  const lenderKey = keys.lenders[lenderId] ?? "";
  const call = (id: OperationId, request: RawRequest = {}): Promise<Reply> => transport.call(id, request);
  const admin = (id: OperationId, request: RawRequest = {}): Promise<Reply> => call(id, { ...request, token: keys.admin });
  const results: RuleResult[] = [];
  let imeis = 0;
  let nonces = 0;
  const nextImei = (): string => imeiFrom(`3599${String(++imeis).padStart(10, "0")}`);
  const nonce = (): string => `conformance-nonce-${String(++nonces).padStart(6, "0")}`;

  const rule = async (id: string, text: string, check: () => Promise<void>): Promise<void> => {
    try {
      await check();
      results.push({ id, rule: text, status: "passed" });
    } catch (error) {
      results.push({ id, rule: text, status: "failed", detail: error instanceof Error ? error.message : String(error) });
    }
  };
  const expectStatus = (reply: Reply, wanted: number | readonly number[], what: string): void => {
    const statuses = typeof wanted === "number" ? [wanted] : wanted;
    if (!statuses.includes(reply.status)) throw new Failed(`${what}: expected ${statuses.join(" or ")}, got ${reply.status} ${brief(reply.body)}`);
  };
  const expectProblem = (reply: Reply, status: number | readonly number[], code: string | undefined, what: string): void => {
    expectStatus(reply, status, what);
    const type = reply.headers["content-type"] ?? "";
    if (!type.startsWith("application/problem+json")) throw new Failed(`${what}: expected application/problem+json, got "${type}"`);
    const body = reply.body as { code?: unknown; status?: unknown; title?: unknown };
    if (code !== undefined && body.code !== code) throw new Failed(`${what}: expected code ${code}, got ${String(body.code)}`);
    if (body.status !== reply.status || typeof body.title !== "string") throw new Failed(`${what}: the problem body lacks status or title: ${brief(reply.body)}`);
  };
  const register = async (accountId: string): Promise<string> => {
    const imei = nextImei();
    const reply = await call("registerDevice", { token: lenderKey, body: { imei, accountId, contact: { phone: "+4930123456" } } });
    expectStatus(reply, 201, "POST /v1/lender/devices");
    return imei;
  };
  const checkin = async (imei: string): Promise<Phone> => {
    const reply = await call("checkin", { body: { identifiers: [{ type: "imei", value: imei }] } });
    expectStatus(reply, 200, "POST /v1/devices/checkin");
    const body = reply.body as { status?: string; deviceId?: string; deviceToken?: string; deviceSecret?: string };
    if (body.status !== "ready" || !body.deviceId || !body.deviceToken || !body.deviceSecret) throw new Failed(`check-in of a registered IMEI: expected ready with deviceId, deviceToken, deviceSecret; got ${brief(body)}`);
    return { imei, deviceId: body.deviceId, token: body.deviceToken, secret: body.deviceSecret, seq: 0 };
  };
  const heartbeat = async (phone: Phone, state: "active" | "locked" = "active"): Promise<{ reply: Reply; command: string; sent: string }> => {
    phone.seq += 1;
    const sent = nonce();
    const reply = await call("heartbeat", { token: phone.token, params: { deviceId: phone.deviceId }, body: { seq: phone.seq, state, ...(state === "locked" ? { lockReason: "overdue" } : {}), nonce: sent } });
    expectStatus(reply, 200, "POST /v1/devices/{deviceId}/heartbeat");
    const body = reply.body as { command?: { type?: string }; signature?: unknown; nonce?: unknown };
    return { reply, command: String(body.command?.type), sent };
  };
  const advance = async (by: string): Promise<void> => expectStatus(await admin("patchClock", { body: { advanceBy: by } }), 200, "PATCH /v1/sim/clock");

  // Start from nothing, on a paused clock.
  expectStatus(await admin("reset", { body: {} }), 200, "POST /v1/sim/reset");

  await rule("sim.clock", "PATCH /v1/sim/clock pauses the clock (speed 0) and advanceBy moves it exactly", async () => {
    const paused = await admin("patchClock", { body: { speed: 0 } });
    expectStatus(paused, 200, "PATCH speed 0");
    const before = Date.parse(String((paused.body as { now?: unknown }).now));
    await advance("PT1H");
    const after = Date.parse(String(((await admin("getClock")).body as { now?: unknown }).now));
    if (after - before !== 3_600_000) throw new Failed(`advanceBy PT1H moved the clock by ${(after - before) / 1000} s`);
  });

  await rule("auth.missing", "a /v1 call without a token is 401 unauthorized, as problem+json", async () => {
    expectProblem(await call("getClock"), 401, "unauthorized", "GET /v1/sim/clock without a token");
  });

  await rule("auth.role", "a right token for the wrong role is 403 forbidden", async () => {
    expectProblem(await call("getClock", { token: keys.support }), 403, "forbidden", "GET /v1/sim/clock with the support key");
  });

  await rule("register.twice", "registering the same IMEI twice is 409 conflict", async () => {
    const imei = await register("conf-dup");
    expectProblem(await call("registerDevice", { token: lenderKey, body: { imei, accountId: "conf-dup", contact: { phone: "+4930123456" } } }), 409, "conflict", "the same IMEI again");
  });

  await rule("register.invalid", "invalid input (an IMEI failing its Luhn check) is 400 invalid_request", async () => {
    expectProblem(await call("registerDevice", { token: lenderKey, body: { imei: "490154203237519", accountId: "conf-bad", contact: { phone: "+4930123456" } } }), 400, "invalid_request", "a bad IMEI");
  });

  await rule("checkin.stop", "an IMEI no lender registered checks in to status stop", async () => {
    const reply = await call("checkin", { body: { identifiers: [{ type: "imei", value: nextImei() }] } });
    expectStatus(reply, 200, "check-in of an unknown IMEI");
    if ((reply.body as { status?: unknown }).status !== "stop") throw new Failed(`expected status stop, got ${brief(reply.body)}`);
  });

  let phone: Phone | undefined;
  await rule("checkin.ready", "a registered IMEI checks in to ready with deviceId, token, secret and policy", async () => {
    phone = await checkin(await register("conf-main"));
  });

  await rule("heartbeat.signed", "a heartbeat answer echoes the nonce and is signed with HMAC-SHA256 over its canonical JSON", async () => {
    if (!phone) throw new Failed("no phone checked in (see checkin.ready)");
    const { reply, sent } = await heartbeat(phone);
    const body = reply.body as { signature?: unknown; nonce?: unknown };
    if (body.nonce !== sent) throw new Failed(`the answer's nonce is ${String(body.nonce)}, not the one sent (${sent})`);
    if (typeof body.signature !== "string") throw new Failed("the answer carries no signature");
    if (!verifyResponse(body as { signature: string }, phone.secret)) throw new Failed("the signature does not verify under the deviceSecret");
  });

  await rule("heartbeat.replay", "a heartbeat whose seq does not increase is refused (4xx), never answered 200", async () => {
    if (!phone) throw new Failed("no phone checked in (see checkin.ready)");
    const reply = await call("heartbeat", { token: phone.token, params: { deviceId: phone.deviceId }, body: { seq: phone.seq, state: "active", nonce: nonce() } });
    if (reply.status < 400 || reply.status >= 500) throw new Failed(`a replayed seq ${phone.seq} was answered ${reply.status} ${brief(reply.body)}`);
  });

  await rule("heartbeat.other-device", "a device token on another device's id is 403 or 404", async () => {
    if (!phone) throw new Failed("no phone checked in (see checkin.ready)");
    const other = await checkin(await register("conf-other"));
    const reply = await call("heartbeat", { token: phone.token, params: { deviceId: other.deviceId }, body: { seq: 1, state: "active", nonce: nonce() } });
    expectStatus(reply, [403, 404], "another device's heartbeat");
  });

  await rule("default.locks", "after a default without grace, the next heartbeat answers a signed lock command", async () => {
    if (!phone) throw new Failed("no phone checked in (see checkin.ready)");
    expectStatus(await call("reportDefault", { token: lenderKey, params: { accountId: "conf-main" }, body: { reportId: "conf-default-1", amountDue: { value: "10.00", currency: "EUR" }, dueDate: "2026-03-01" } }), [200, 201, 202], "POST default");
    const { reply, command } = await heartbeat(phone);
    if (command !== "lock") throw new Failed(`expected command lock, got ${command}`);
    if (!verifyResponse(reply.body as { signature: string }, phone.secret)) throw new Failed("the lock command's signature does not verify");
  });

  await rule("unlock-code.overdue", "support cannot issue an unlock code while the account is overdue: 409 standing_not_good", async () => {
    if (!phone) throw new Failed("no phone checked in (see checkin.ready)");
    expectProblem(await call("issueUnlockCode", { token: keys.support, params: { deviceId: phone.deviceId } }), 409, "standing_not_good", "POST unlock-codes while overdue");
  });

  await rule("payment.unlocks", "a payment syncs as the clock moves (within five days), and the next heartbeat unlocks", async () => {
    if (!phone) throw new Failed("no phone checked in (see checkin.ready)");
    expectStatus(await call("recordPayment", { token: lenderKey, params: { accountId: "conf-main" }, body: { amount: { value: "10.00", currency: "EUR" }, paymentId: "conf-pay-1" } }), [200, 201, 202], "POST payment");
    let command = "none";
    for (let day = 0; day < 5 && command !== "unlock"; day += 1) {
      await advance("P1D");
      command = (await heartbeat(phone, "locked")).command;
    }
    if (command !== "unlock") throw new Failed(`after five simulated days the heartbeat still answers ${command}`);
  });

  await rule("events.listed", "GET /v1/sim/events lists the journal with increasing seq", async () => {
    const reply = await admin("listEvents", { query: { after: 0 } });
    expectStatus(reply, 200, "GET /v1/sim/events");
    const events = (reply.body as { events?: { seq?: number }[] }).events ?? [];
    if (events.length === 0) throw new Failed("no events after all of the above");
    if (!events.every((event, index) => index === 0 || (event.seq ?? 0) > (events[index - 1]?.seq ?? 0))) throw new Failed("seq does not increase");
  });

  return results;
}
