// A client written from /work/shared/PROTOCOL.md and the README's "Protocol choices where PROTOCOL.md is
// silent" alone. It starts the server in-process and then speaks to it only over HTTP with `fetch`, playing
// the lender, the phone (a minimal lock agent), support and the facilitator through the whole story.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLockService } from "../mock-server/create.ts";
import { createApp } from "../mock-server/http/app.ts";
import { startServer } from "../mock-server/http/node-server.ts";

// ---------------------------------------------------------------------------------------------------------
// Contract types (PROTOCOL.md)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Standing = "good" | "overdue" | "default" | "paid_off";
type DeviceState = "unmanaged" | "active" | "reminding" | "locked" | "released";
type LockReason = "overdue" | "offline" | "tamper";
type CommandType = "none" | "remind" | "lock" | "unlock" | "release";

interface Money { value: number | string; currency: string }
interface Contact { phone?: string; email?: string }
interface Policy { heartbeatInterval: string; lockedHeartbeatInterval: string; offlineLockAfter: string; offlineWarningBefore: string }
interface Sync { status: "idle" | "pending" | "failed"; expectedBy?: string; error?: string }
interface Problem { type: string; title: string; status: number; detail: string; code: string; errors?: { path: unknown; message: string }[] }
interface Registered { deviceId: string; accountId: string; status: string }
interface CheckIn { status: "ready" | "stop"; deviceId?: string; deviceToken?: string; deviceSecret?: string; policy?: Policy }
interface Command { id: string; type: CommandType; message?: string; contact?: Contact; lockAt?: string; amountDue?: Money }
interface HeartbeatAnswer {
  serverTime: string; standing: Standing; command: Command; nextHeartbeatAt: string; policy: Policy; nonce: string; signature: string;
}
interface DefaultReported { accountId: string; standing: Standing; lockAt: string | null }
interface PaymentRecorded { accountId: string; paymentId: string; sync: Sync }
interface AccountView {
  accountId: string; lenderId: string; standing: Standing; sync: Sync;
  devices: { deviceId: string; imei: string; state: DeviceState | null; lastHeartbeatAt: string | null; lockReason?: LockReason }[];
}
interface SupportView {
  deviceId: string; imei: string; lenderId: string; accountId: string; standing: Standing; sync: Sync;
  state: DeviceState | null; lastHeartbeatAt: string | null; lockReason?: LockReason;
}
interface ClockView { now: string; speed: number }
interface JournalEvent { seq: number; at: string; actor: unknown; type: string; data: unknown }

// ---------------------------------------------------------------------------------------------------------
// Small pieces of the contract, written out by hand

const ADMIN = "admin-key";
const SUPPORT = "support-key";
const LENDER_A = "lender-a-key";
const LENDER_B = "lender-b-key";

/** Canonical JSON: object keys sorted by UTF-16 code unit at every depth, no whitespace, arrays in order. */
function canonicalJson(value: Json): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`).join(",")}}`;
}

function hmac(secret: string, message: string): Buffer {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(message, "utf8").digest();
}

/** True when `signature` is the base64url HMAC-SHA256 of the answer's canonical JSON without `signature`. */
function signatureIsValid(answer: HeartbeatAnswer, secret: string): boolean {
  const { signature, ...signed } = answer;
  const expected = Buffer.from(hmac(secret, canonicalJson(signed as unknown as Json)).toString("base64url"));
  const given = Buffer.from(String(signature));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** HOTP dynamic truncation (RFC 4226 §5.3) of HMAC-SHA256(deviceSecret, challenge without dashes, upper-cased). */
function offlineCodeFor(secret: string, challenge: string): string {
  const mac = hmac(secret, challenge.replaceAll("-", "").toUpperCase());
  const offset = mac.readUInt8(mac.length - 1) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 100_000_000).padStart(8, "0");
}

/** Appends the Luhn check digit to 14 digits. */
function withLuhnDigit(fourteen: string): string {
  let sum = 0;
  for (let i = 0; i < fourteen.length; i++) {
    const digit = Number(fourteen[fourteen.length - 1 - i]);
    const doubled = i % 2 === 0 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return fourteen + String((10 - (sum % 10)) % 10);
}

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds (P3D, PT6H, PT15M, PT300S). */
function durationMs(iso: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!match) throw new Error(`unsupported duration ${iso}`);
  const [, d = "0", h = "0", m = "0", s = "0"] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}

const plus = (iso: string, duration: string): string => new Date(Date.parse(iso) + durationMs(duration)).toISOString();

// ---------------------------------------------------------------------------------------------------------
// HTTP

let baseUrl = "";

interface Reply<T> { status: number; headers: Headers; body: T }

async function call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text === "" ? null : JSON.parse(text)) as T };
}

/** Asserts an application/problem+json answer with every field PROTOCOL.md lists, and returns it. */
function expectProblem(reply: Reply<unknown>, status: number, code: string): Problem {
  expect(reply.status).toBe(status);
  expect(reply.headers.get("content-type") ?? "").toMatch(/^application\/problem\+json\b/);
  const problem = reply.body as Problem;
  expect(problem).toMatchObject({ status, code });
  expect(typeof problem.type).toBe("string");
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.detail).toBe("string");
  return problem;
}

async function clockNow(): Promise<string> {
  return (await call<ClockView>("GET", "/v1/sim/clock", { token: ADMIN })).body.now;
}

async function moveClock(change: { advanceBy?: string; set?: string }): Promise<ClockView> {
  const reply = await call<ClockView>("PATCH", "/v1/sim/clock", { token: ADMIN, body: change });
  expect(reply.status).toBe(200);
  return reply.body;
}

// ---------------------------------------------------------------------------------------------------------
// The phone: a minimal lock agent

class LockAgent {
  state: DeviceState = "unmanaged";
  lockReason: LockReason | undefined;
  screen: { message?: string; contact?: Contact } | undefined;
  deviceId = "";
  token = "";
  secret = "";
  policy: Policy | undefined;
  lastValidHeartbeatAt: string | undefined;
  private seq = 0;
  private lastCommandId: string | undefined;
  private challenge: string | undefined;

  constructor(readonly imei: string) {}

  async checkIn(): Promise<CheckIn> {
    const reply = await call<CheckIn>("POST", "/v1/devices/checkin", {
      body: { identifiers: [{ type: "imei", value: this.imei }], model: "Pixel 8a", manufacturer: "Google" },
    });
    expect(reply.status).toBe(200);
    const answer = reply.body;
    if (answer.status === "ready" && answer.deviceId && answer.deviceToken && answer.deviceSecret && answer.policy) {
      this.deviceId = answer.deviceId;
      this.token = answer.deviceToken;
      this.secret = answer.deviceSecret;
      this.policy = answer.policy;
      if (this.state === "unmanaged") this.state = "active";
    }
    return answer;
  }

  /** One heartbeat; the answer is applied only when its signature and nonce are right. */
  async heartbeat(): Promise<{ answer: HeartbeatAnswer; trusted: boolean }> {
    this.seq += 1;
    const nonce = randomBytes(18).toString("base64url");
    const reply = await call<HeartbeatAnswer>("POST", `/v1/devices/${this.deviceId}/heartbeat`, {
      token: this.token,
      body: {
        seq: this.seq,
        state: this.state,
        ...(this.state === "locked" ? { lockReason: this.lockReason } : {}),
        ...(this.lastCommandId === undefined ? {} : { lastCommandId: this.lastCommandId }),
        nonce,
      },
    });
    expect(reply.status).toBe(200);
    const answer = reply.body;
    const trusted = answer.nonce === nonce && signatureIsValid(answer, this.secret);
    if (trusted) {
      this.lastValidHeartbeatAt = answer.serverTime;
      this.policy = answer.policy;
      this.apply(answer.command);
    }
    return { answer, trusted };
  }

  private apply(command: Command): void {
    switch (command.type) {
      case "none":
        return;
      case "remind":
        if (this.state === "active") this.state = "reminding";
        this.screen = { ...(command.contact ? { contact: command.contact } : {}) };
        break;
      case "lock":
        this.state = "locked";
        this.lockReason = "overdue";
        this.screen = { ...(command.message ? { message: command.message } : {}), ...(command.contact ? { contact: command.contact } : {}) };
        break;
      case "unlock":
        this.unlockLocally();
        break;
      case "release":
        this.state = "released";
        this.lockReason = undefined;
        this.screen = undefined;
        break;
    }
    this.lastCommandId = command.id;
  }

  private unlockLocally(): void {
    this.state = "active";
    this.lockReason = undefined;
    this.screen = undefined;
  }

  async enterCode(code: string): Promise<Reply<{ result: string } | Problem>> {
    const reply = await call<{ result: string } | Problem>("POST", `/v1/devices/${this.deviceId}/unlock-attempts`, {
      token: this.token,
      body: { code },
    });
    if (reply.status === 200) this.unlockLocally();
    return reply;
  }

  /** The phone's own offline rule: no valid heartbeat for offlineLockAfter locks it with reason "offline". */
  tick(now: string): void {
    if (!this.policy || !this.lastValidHeartbeatAt || this.state === "released" || this.state === "locked") return;
    if (Date.parse(now) - Date.parse(this.lastValidHeartbeatAt) >= durationMs(this.policy.offlineLockAfter)) {
      this.state = "locked";
      this.lockReason = "offline";
      this.challenge = undefined;
    }
  }

  /** The challenge a locked, offline phone shows its owner (four and four characters). */
  showChallenge(): string {
    const alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    const chars = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("");
    this.challenge = `${chars.slice(0, 4)}-${chars.slice(4)}`;
    return this.challenge;
  }

  /** Checks an offline code without a network; a right one unlocks and restarts the offline countdown. */
  enterOfflineCode(code: string, now: string): boolean {
    if (this.challenge === undefined || code !== offlineCodeFor(this.secret, this.challenge)) return false;
    this.unlockLocally();
    this.lastValidHeartbeatAt = now;
    this.challenge = undefined;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The story

const START = "2026-03-02T09:00:00.000Z";
const ACCOUNT = "acct-7";
const IMEI = withLuhnDigit("35395803121326");
const LOCK_MESSAGE = "Your Acme Phones installment is overdue. Pay in the Acme app to unlock.";
const CONTACT = { phone: "+4930123456", email: "help@acme.example" };
const AMOUNT = { value: 49.99, currency: "EUR" };

let server: { url: string; close(): Promise<void> | void };
const phone = new LockAgent(IMEI);
let lockAt = "";
let firstPayment: PaymentRecorded;
let secondPayment: PaymentRecorded;
let unlockCode = "";

beforeAll(async () => {
  server = await startServer(createApp(createLockService()), { host: "127.0.0.1", port: 0 });
  baseUrl = server.url.replace(/\/$/, "");
});

afterAll(async () => {
  await server.close();
});

describe("a client written from PROTOCOL.md alone, playing lender, phone, support and facilitator over HTTP", () => {
  it("serves its OpenAPI 3.1 contract with every path PROTOCOL.md names, and health without a token", async () => {
    const health = await call<{ ok: boolean }>("GET", "/healthz");
    expect(health).toMatchObject({ status: 200, body: { ok: true } });

    const openapi = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\.1\./);
    const named: [string, string][] = [
      ["post", "/v1/lender/devices"],
      ["post", "/v1/lender/accounts/{accountId}/defaults"],
      ["post", "/v1/lender/accounts/{accountId}/payments"],
      ["post", "/v1/lender/accounts/{accountId}/complete"],
      ["get", "/v1/lender/accounts/{accountId}"],
      ["post", "/v1/devices/checkin"],
      ["post", "/v1/devices/{deviceId}/heartbeat"],
      ["post", "/v1/devices/{deviceId}/unlock-attempts"],
      ["get", "/v1/support/devices"],
      ["post", "/v1/support/devices/{deviceId}/refresh"],
      ["post", "/v1/support/devices/{deviceId}/unlock-codes"],
      ["post", "/v1/support/devices/{deviceId}/offline-codes"],
      ["get", "/v1/sim/clock"],
      ["patch", "/v1/sim/clock"],
      ["get", "/v1/sim/events"],
      ["post", "/v1/sim/faults"],
      ["delete", "/v1/sim/faults"],
      ["post", "/v1/sim/reset"],
      ["get", "/healthz"],
    ];
    for (const [method, path] of named) {
      expect(openapi.body.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
  });

  it("starts on the paused simulated clock the service was created with", async () => {
    expect(await call<ClockView>("GET", "/v1/sim/clock", { token: ADMIN })).toMatchObject({ status: 200, body: { now: START, speed: 0 } });
  });

  it("registers a financed phone with a Luhn-valid IMEI, and refuses the same IMEI twice with 409 conflict", async () => {
    const body = { imei: IMEI, accountId: ACCOUNT, model: "Pixel 8a", lockMessage: LOCK_MESSAGE, contact: CONTACT };
    const registered = await call<Registered>("POST", "/v1/lender/devices", { token: LENDER_A, body });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ accountId: ACCOUNT, status: "registered" });
    expect(typeof registered.body.deviceId).toBe("string");

    expectProblem(await call("POST", "/v1/lender/devices", { token: LENDER_B, body: { ...body, accountId: "other" } }), 409, "conflict");

    const account = await call<AccountView>("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_A });
    expect(account.body).toMatchObject({ accountId: ACCOUNT, lenderId: "lender-a", standing: "good", sync: { status: "idle" } });
    expect(account.body.devices).toEqual([expect.objectContaining({ deviceId: registered.body.deviceId, imei: IMEI, state: null, lastHeartbeatAt: null })]);
  });

  it("answers every error as application/problem+json with type, title, status, detail and code, changing nothing", async () => {
    expectProblem(await call("GET", `/v1/lender/accounts/${ACCOUNT}`), 401, "unauthorized");
    expectProblem(await call("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: "not-a-key" }), 401, "unauthorized");
    expectProblem(await call("GET", "/v1/sim/clock", { token: LENDER_A }), 403, "forbidden");
    expectProblem(await call("GET", `/v1/support/devices?imei=${IMEI}`, { token: LENDER_A }), 403, "forbidden");
    expectProblem(await call("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_B }), 404, "not_found");

    const badImei = IMEI.slice(0, 14) + String((Number(IMEI[14]) + 1) % 10);
    const invalid = expectProblem(
      await call("POST", "/v1/lender/devices", { token: LENDER_A, body: { imei: badImei, accountId: "acct-bad", contact: CONTACT } }),
      400,
      "invalid_request",
    );
    expect(invalid.errors?.length).toBeGreaterThan(0);
    expectProblem(await call("POST", "/v1/lender/devices", { token: LENDER_A, body: { imei: withLuhnDigit("35395803121999"), accountId: "acct-bad", contact: {} } }), 400, "invalid_request");
    expectProblem(await call("GET", "/v1/lender/accounts/acct-bad", { token: LENDER_A }), 404, "not_found");
  });

  it("lets an unregistered phone run unmanaged and enrols the registered one at check-in", async () => {
    const stranger = new LockAgent(withLuhnDigit("35395803121999"));
    expect((await stranger.checkIn()).status).toBe("stop");
    expect(stranger.state).toBe("unmanaged");

    const answer = await phone.checkIn();
    expect(answer).toMatchObject({ status: "ready", policy: { heartbeatInterval: "PT6H", lockedHeartbeatInterval: "PT15M", offlineLockAfter: "P30D", offlineWarningBefore: "P3D" } });
    expect(phone.state).toBe("active");
  });

  it("answers the first heartbeat of a phone in good standing with a signed 'none', and refuses a repeated seq", async () => {
    const { answer, trusted } = await phone.heartbeat();
    expect(trusted).toBe(true);
    expect(answer).toMatchObject({ serverTime: START, standing: "good", command: { id: "none", type: "none" }, nextHeartbeatAt: plus(START, "PT6H") });

    const replay = await call("POST", `/v1/devices/${phone.deviceId}/heartbeat`, { token: phone.token, body: { seq: 1, state: "active", nonce: "replayed-nonce-0001" } });
    expectProblem(replay, 409, "conflict");
    expectProblem(await call("POST", `/v1/devices/${phone.deviceId}/heartbeat`, { token: LENDER_A, body: { seq: 9, state: "active", nonce: "n" } }), 403, "forbidden");
  });

  it("reminds the phone while a reported default is in its grace period", async () => {
    const reported = await call<DefaultReported>("POST", `/v1/lender/accounts/${ACCOUNT}/defaults`, {
      token: LENDER_A,
      body: { reportId: "INV/2026/1", amountDue: AMOUNT, dueDate: "2026-03-01", gracePeriod: "P3D" },
    });
    expect(reported.status).toBe(202);
    expect(reported.body).toMatchObject({ accountId: ACCOUNT, standing: "overdue", lockAt: plus(START, "P3D") });
    lockAt = reported.body.lockAt ?? "";

    const { answer, trusted } = await phone.heartbeat();
    expect(trusted).toBe(true);
    expect(answer.standing).toBe("overdue");
    expect(answer.command).toMatchObject({ type: "remind", contact: CONTACT, lockAt });
    expect(Date.parse(answer.nextHeartbeatAt)).toBeLessThanOrEqual(Date.parse(lockAt));
    expect(phone.state).toBe("reminding");

    const acknowledged = await phone.heartbeat();
    expect(acknowledged.trusted).toBe(true);
    expect(acknowledged.answer.command.type).toBe("none");
  });

  it("locks the phone with the lender's message and contact once the grace period ends", async () => {
    await moveClock({ set: lockAt });
    expect((await call<AccountView>("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_A })).body.standing).toBe("default");

    const { answer, trusted } = await phone.heartbeat();
    expect(trusted).toBe(true);
    expect(answer.standing).toBe("default");
    expect(answer.command).toMatchObject({ type: "lock", message: LOCK_MESSAGE, contact: CONTACT });
    expect(answer.nextHeartbeatAt).toBe(plus(answer.serverTime, "PT15M"));
    expect(phone).toMatchObject({ state: "locked", lockReason: "overdue", screen: { message: LOCK_MESSAGE, contact: CONTACT } });

    const acknowledged = await phone.heartbeat();
    expect(acknowledged.answer.command.type).toBe("none");
    const support = await call<SupportView>("GET", `/v1/support/devices?imei=${IMEI}`, { token: SUPPORT });
    expect(support.body).toMatchObject({ deviceId: phone.deviceId, imei: IMEI, lenderId: "lender-a", accountId: ACCOUNT, standing: "default", state: "locked", lockReason: "overdue" });
  });

  it("accepts a payment with 202 and an expectedBy within two business days, leaving the account's sync pending", async () => {
    const paid = await call<PaymentRecorded>("POST", `/v1/lender/accounts/${ACCOUNT}/payments`, {
      token: LENDER_A,
      body: { paymentId: "pay-1", amount: AMOUNT },
    });
    expect(paid.status).toBe(202);
    expect(paid.body).toMatchObject({ accountId: ACCOUNT, paymentId: "pay-1", sync: { status: "pending" } });
    firstPayment = paid.body;
    const expectedBy = firstPayment.sync.expectedBy ?? "";
    // paid Thursday 09:00: one business hour at the earliest, sixteen (Friday 17:00) at the latest
    expect(expectedBy >= "2026-03-05T10:00:00.000Z" && expectedBy <= "2026-03-06T17:00:00.000Z").toBe(true);

    const again = await call<PaymentRecorded>("POST", `/v1/lender/accounts/${ACCOUNT}/payments`, { token: LENDER_A, body: { paymentId: "pay-1", amount: AMOUNT } });
    expect(again).toMatchObject({ status: 202, body: firstPayment });
    expectProblem(await call("POST", `/v1/lender/accounts/${ACCOUNT}/payments`, { token: LENDER_A, body: { paymentId: "pay-1", amount: { value: 5, currency: "EUR" } } }), 409, "idempotency_conflict");

    const account = await call<AccountView>("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_A });
    expect(account.body).toMatchObject({ standing: "default", sync: { status: "pending", expectedBy } });
  });

  it("marks the sync failed with 'token update failed' under a sync_failure fault, and keeps the phone locked", async () => {
    const fault = await call<{ id: string }>("POST", "/v1/sim/faults", { token: ADMIN, body: { kind: "sync_failure", target: ACCOUNT } });
    expect(fault.status).toBe(200);
    await moveClock({ set: firstPayment.sync.expectedBy ?? "" });

    const account = await call<AccountView>("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_A });
    expect(account.body).toMatchObject({ standing: "default", sync: { status: "failed", error: "token update failed" } });
    const { answer } = await phone.heartbeat();
    expect(answer.standing).toBe("default");
    expect(phone.state).toBe("locked");

    expect((await call("DELETE", "/v1/sim/faults", { token: ADMIN })).status).toBe(200);
    const stillFailed = await call<AccountView>("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_A });
    expect(stillFailed.body.sync.status).toBe("failed");
  });

  it("brings the standing back to good through support's refresh, and unlocks the phone at its next heartbeat", async () => {
    const refreshed = await call<{ standing: Standing; sync: Sync }>("POST", `/v1/support/devices/${phone.deviceId}/refresh`, { token: SUPPORT });
    expect(refreshed).toMatchObject({ status: 200, body: { standing: "good", sync: { status: "idle" } } });

    const { answer, trusted } = await phone.heartbeat();
    expect(trusted).toBe(true);
    expect(answer).toMatchObject({ standing: "good", command: { type: "unlock" } });
    expect(phone.state).toBe("active");
    expect((await phone.heartbeat()).answer.command.type).toBe("none");
  });

  it("locks the phone again for a new default, and the phone ignores a forged unlock", async () => {
    const reported = await call<DefaultReported>("POST", `/v1/lender/accounts/${ACCOUNT}/defaults`, {
      token: LENDER_A,
      body: { reportId: "INV/2026/2", amountDue: AMOUNT, dueDate: "2026-04-01" },
    });
    expect(reported).toMatchObject({ status: 202, body: { standing: "default" } });
    const { answer } = await phone.heartbeat();
    expect(answer.command).toMatchObject({ type: "lock", message: LOCK_MESSAGE });
    expect(phone.state).toBe("locked");

    await call("POST", "/v1/sim/faults", { token: ADMIN, body: { kind: "forge", target: phone.deviceId } });
    const forged = await phone.heartbeat();
    expect(forged.trusted).toBe(false);
    expect(forged.answer.command.type).toBe("unlock");
    expect(phone.state).toBe("locked");
    await call("DELETE", "/v1/sim/faults", { token: ADMIN });
    expect((await phone.heartbeat()).trusted).toBe(true);
    expect(phone.state).toBe("locked");
  });

  it("refuses a support unlock code with 409 standing_not_good while the account is unpaid", async () => {
    expectProblem(await call("POST", `/v1/support/devices/${phone.deviceId}/unlock-codes`, { token: SUPPORT }), 409, "standing_not_good");
  });

  it("after the payment, makes the sixth attempt after five wrong codes wait with 429 and Retry-After, then accepts the right code", async () => {
    const paid = await call<PaymentRecorded>("POST", `/v1/lender/accounts/${ACCOUNT}/payments`, { token: LENDER_A, body: { paymentId: "pay-2", amount: AMOUNT } });
    expect(paid.status).toBe(202);
    secondPayment = paid.body;

    const issued = await call<{ code: string; expiresAt: string }>("POST", `/v1/support/devices/${phone.deviceId}/unlock-codes`, { token: SUPPORT });
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(/^\d{8}$/);
    expect(issued.body.expiresAt).toBe(plus(await clockNow(), "PT72H"));
    unlockCode = issued.body.code;

    for (let wrong = 1; wrong <= 5; wrong++) {
      const guess = String((Number(unlockCode) + wrong) % 100_000_000).padStart(8, "0");
      expectProblem(await phone.enterCode(guess), 422, "code_invalid");
    }
    const sixth = await phone.enterCode(unlockCode);
    expectProblem(sixth, 429, "too_many_attempts");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBe(300);
    expect(phone.state).toBe("locked");

    await moveClock({ advanceBy: `PT${retryAfter}S` });
    const accepted = await phone.enterCode(unlockCode);
    expect(accepted).toMatchObject({ status: 200, body: { result: "accepted" } });
    expect(phone.state).toBe("active");
  });

  it("does not relock a phone unlocked by a code at later heartbeats, before or after the payment syncs", async () => {
    const stale = await phone.heartbeat();
    expect(stale.trusted).toBe(true);
    expect(stale.answer.standing).toBe("default");
    expect(stale.answer.command.type).not.toBe("lock");
    expect(phone.state).toBe("active");

    await moveClock({ advanceBy: "PT15M" });
    expect((await phone.heartbeat()).answer.command.type).not.toBe("lock");

    await moveClock({ set: secondPayment.sync.expectedBy ?? "" });
    const synced = await phone.heartbeat();
    expect(synced.answer.standing).toBe("good");
    expect(synced.answer.command.type).not.toBe("lock");
    expect(phone.state).toBe("active");
    expectProblem(await phone.enterCode(unlockCode), 422, "code_invalid"); // single use
  });

  it("answers the challenge of an offline-locked phone with the same code the phone computes itself", async () => {
    await moveClock({ advanceBy: "P30D" });
    const now = await clockNow();
    phone.tick(now);
    expect(phone).toMatchObject({ state: "locked", lockReason: "offline" });

    const challenge = phone.showChallenge();
    const answered = await call<{ code: string }>("POST", `/v1/support/devices/${phone.deviceId}/offline-codes`, { token: SUPPORT, body: { challenge } });
    expect(answered.status).toBe(200);
    expect(answered.body.code).toMatch(/^\d{8}$/);
    expect(answered.body.code).toBe(offlineCodeFor(phone.secret, challenge));
    expect(phone.enterOfflineCode(answered.body.code, now)).toBe(true);
    expect(phone.state).toBe("active");

    const back = await phone.heartbeat();
    expect(back).toMatchObject({ trusted: true, answer: { standing: "good" } });
    expect(phone.state).toBe("active");
  });

  it("releases the phone at its next heartbeat once the loan is complete", async () => {
    const completed = await call("POST", `/v1/lender/accounts/${ACCOUNT}/complete`, { token: LENDER_A });
    expect(completed.status).toBe(200);
    expect((await call<AccountView>("GET", `/v1/lender/accounts/${ACCOUNT}`, { token: LENDER_A })).body.standing).toBe("paid_off");

    const { answer, trusted } = await phone.heartbeat();
    expect(trusted).toBe(true);
    expect(answer).toMatchObject({ standing: "paid_off", command: { type: "release" } });
    expect(phone.state).toBe("released");
  });

  it("journals the whole story in GET /v1/sim/events?after=0", async () => {
    const journal = await call<{ events: JournalEvent[] }>("GET", "/v1/sim/events?after=0", { token: ADMIN });
    expect(journal.status).toBe(200);
    const { events } = journal.body;
    expect(events.length).toBeGreaterThan(30);
    for (const [i, event] of events.entries()) {
      expect(typeof event.type).toBe("string");
      expect(event.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(event.actor).toBeDefined();
      expect(event.data).toBeDefined();
      if (i > 0) expect(event.seq).toBeGreaterThan(events[i - 1]?.seq ?? Infinity);
    }
    const text = JSON.stringify(events);
    for (const mention of [phone.deviceId, ACCOUNT, "INV/2026/1", "INV/2026/2", "pay-1", "pay-2", "token update failed", "sync_failure", "forge"]) {
      expect(text, mention).toContain(mention);
    }
    const types = new Set(events.map((event) => event.type));
    expect(types.has("standing.changed")).toBe(true);
    const standings = events.filter((event) => event.type === "standing.changed").map((event) => JSON.stringify(event.data));
    for (const standing of ["overdue", "default", "good", "paid_off"]) expect(standings.some((data) => data.includes(`"${standing}"`)), standing).toBe(true);
    expect(events.at(-1)?.at).toBe(await clockNow());
  });

  it("streams the same journal as server-sent events with id, event and data", async () => {
    const journal = (await call<{ events: JournalEvent[] }>("GET", "/v1/sim/events?after=0", { token: ADMIN })).body.events;
    const from = journal.at(-3);
    const next = journal.at(-2);
    if (!from || !next) throw new Error("the journal is too short");

    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/v1/sim/events?after=${from.seq}`, {
      headers: { authorization: `Bearer ${ADMIN}`, accept: "text/event-stream" },
      signal: abort.signal,
    });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type") ?? "").toMatch(/^text\/event-stream/);
      const reader = response.body?.getReader();
      if (!reader) throw new Error("no stream body");
      const decoder = new TextDecoder();
      let buffered = "";
      let block: string | undefined;
      while (block === undefined) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffered += decoder.decode(chunk.value, { stream: true });
        block = buffered.split(/\r?\n\r?\n/).find((candidate) => /^data:/m.test(candidate));
      }
      expect(block).toBeDefined();
      const field = (name: string): string | undefined => new RegExp(`^${name}: ?(.*)$`, "m").exec(block ?? "")?.[1];
      expect(field("id")).toBe(String(next.seq));
      expect(field("event")).toBe(next.type);
      expect(JSON.parse(field("data") ?? "null")).toEqual(next);
    } finally {
      abort.abort();
    }
  });
});
