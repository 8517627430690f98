import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { isPlainIsoTime, safeParse } from "./fast-parse.ts";
import { DeviceParams, HeartbeatRequest, HeartbeatResponse } from "./messages/device.ts";
import { defaultPolicy, IsoTime } from "./values.ts";

/** The fast path must give what zod gives: the same verdict, and data equal member for member, in the same key order. */
function same(schema: ZodType, value: unknown): void {
  const fast = safeParse(schema, value);
  const full = schema.safeParse(value);
  expect(fast.success).toBe(full.success);
  if (full.success && fast.success) {
    expect(fast.data).toStrictEqual(full.data);
    expect(JSON.stringify(fast.data)).toBe(JSON.stringify(full.data));
    expect(keysDeep(fast.data)).toEqual(keysDeep(full.data));
  } else if (!full.success && !fast.success) {
    expect(fast.error.issues).toEqual(full.error.issues);
  }
}

function keysDeep(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return null;
  return Object.entries(value).map(([key, item]) => [key, keysDeep(item)]);
}

const answer = {
  command: { id: "none", type: "none" },
  nextHeartbeatAt: "2026-03-02T15:00:00.000Z",
  nonce: "abcdefghijklmnop",
  policy: defaultPolicy,
  serverTime: "2026-03-02T09:00:00.000Z",
  standing: "good",
  signature: "sig",
};

describe("fast safeParse of a heartbeat answer", () => {
  it("gives zod's result for the answers the service builds, as fresh objects", () => {
    same(HeartbeatResponse, answer);
    same(HeartbeatResponse, { ...answer, serverSignature: "ed" });
    same(HeartbeatResponse, { ...answer, standing: "overdue", command: { type: "unlock", id: "dev-1.c2" } });
    const parsed = safeParse(HeartbeatResponse, answer);
    if (!parsed.success) throw new Error("expected success");
    expect(parsed.data.policy).not.toBe(answer.policy);
    expect(parsed.data.command).not.toBe(answer.command);
  });

  it("gives zod's result for malformed and unusual answers (the full schema decides those)", () => {
    const variants: unknown[] = [
      null,
      [],
      "text",
      { ...answer, signature: undefined },
      { ...answer, serverSignature: undefined },
      { ...answer, serverSignature: 7 },
      { ...answer, extra: 1 },
      { ...answer, standing: "great" },
      { ...answer, nonce: 5 },
      { ...answer, command: { id: "x", type: "explode" } },
      { ...answer, command: { id: 1, type: "none" } },
      { ...answer, command: { id: "dev-1.c1", type: "lock", message: "pay", contact: { phone: "+49" } } },
      { ...answer, command: { id: "dev-1.c1", type: "remind", lockAt: "2026-03-05T09:00:00.000Z" } },
      { ...answer, command: null },
      { ...answer, policy: { ...defaultPolicy, heartbeatInterval: "P1M" } },
      { ...answer, policy: { ...defaultPolicy, offlineLockAfter: "P9999D" } },
      { ...answer, policy: { ...defaultPolicy, extra: "PT1H" } },
      { ...answer, policy: { heartbeatInterval: "PT1H", lockedHeartbeatInterval: "PT1M", offlineLockAfter: "P2D", offlineWarningBefore: "P1D" } },
      { ...answer, serverTime: "2026-02-29T09:00:00.000Z" },
      { ...answer, serverTime: "2028-02-29T09:00:00.000Z" },
      { ...answer, serverTime: "2026-03-02T24:00:00.000Z" },
      { ...answer, serverTime: "2026-03-02T09:00:00Z" },
      { ...answer, serverTime: "2026-03-02T09:00:00.000+01:00" },
      { ...answer, nextHeartbeatAt: "+02026-03-02T09:00:00.000Z" },
      Object.assign(Object.create({ inherited: 1 }) as object, answer),
    ];
    for (const value of variants) same(HeartbeatResponse, value);
  });

  it("accepts as a plain ISO time only texts IsoTime accepts", () => {
    const texts = ["2026-03-02T09:00:00.000Z", "2000-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-12-31T23:59:59.999Z", "0000-02-29T00:00:00.000Z"];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2029, 0, 1); t += 86_400_000 + 1_234_567) texts.push(new Date(t).toISOString());
    for (const text of texts) if (isPlainIsoTime(text)) expect(IsoTime.safeParse(text).success, text).toBe(true);
    expect(isPlainIsoTime("2026-04-31T00:00:00.000Z")).toBe(false);
    expect(isPlainIsoTime("1900-02-29T00:00:00.000Z")).toBe(false);
    expect(isPlainIsoTime("2000-02-29T00:00:00.000Z")).toBe(true);
  });
});

describe("fast safeParse of a heartbeat request and its path", () => {
  const request = { seq: 3, state: "active", nonce: "abcdefghijklmnop" };

  it("gives zod's result for requests phones send, and for malformed ones", () => {
    const variants: unknown[] = [
      request,
      { ...request, lastCommandId: "dev-1.c1" },
      { ...request, state: "locked", lockReason: "overdue" },
      { ...request, state: "locked" },
      { ...request, state: "active", lockReason: "offline" },
      { ...request, lockReason: undefined },
      { ...request, seq: -1 },
      { ...request, seq: 1.5 },
      { ...request, seq: Number.MAX_SAFE_INTEGER + 1 },
      { ...request, seq: "3" },
      { ...request, nonce: "" },
      { ...request, nonce: "x".repeat(129) },
      { ...request, lastCommandId: "" },
      { ...request, lastCommandId: "x".repeat(65) },
      { ...request, state: "sleeping" },
      { ...request, lockReason: "bored", state: "locked" },
      { ...request, extra: true },
      {},
      null,
    ];
    for (const value of variants) same(HeartbeatRequest, value);
  });

  it("gives zod's result for device ids", () => {
    for (const value of [{ deviceId: "dev-1" }, { deviceId: "" }, { deviceId: "a b" }, { deviceId: "x".repeat(65) }, { deviceId: 1 }, { deviceId: "dev-1", more: 1 }, {}]) {
      same(DeviceParams, value);
    }
  });
});
