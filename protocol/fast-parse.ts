import type { ZodType } from "zod";
import { isDuration, parseDuration } from "../core/duration.ts";
import { commandTypes, DeviceParams, HeartbeatRequest, HeartbeatResponse, type Command } from "./messages/device.ts";
import { deviceStates, Id, ID_PATTERN, lockReasons, MAX_DURATION_DAYS, standings, type Policy } from "./values.ts";

/*
 * zod's safeParse, with a hand-written fast path for the few messages every heartbeat sends (the request, its
 * path parameters, the answer): a fleet parses each of them once per heartbeat on each side, and zod was ~13% of
 * a fleet's CPU. A fast path accepts only a strict subset of what the schema accepts (the plain shapes the lock
 * service and the phone build: no unknown keys, no `undefined` members, only the `none` command) and returns
 * exactly what zod would — fresh objects, the schema's key order — so nothing is shared with the sender. Anything
 * else, valid or not, goes to the full schema, which gives the same result and the same errors as before.
 * fast-parse.test.ts compares both on valid and malformed inputs.
 */
type Fast = (value: unknown) => unknown;

const fastPaths = new Map<ZodType, Fast>();

/** schema.safeParse(value), through the fast path when the schema has one and the value fits it. */
export function safeParse<T>(schema: ZodType<T>, value: unknown): ReturnType<ZodType<T>["safeParse"]> {
  const fast = fastPaths.get(schema);
  const data = fast === undefined ? NO : fast(value);
  if (data === NO) return schema.safeParse(value);
  return { success: true, data: data as T } as ReturnType<ZodType<T>["safeParse"]>;
}

/** "No fast answer": the full schema decides. */
const NO: unique symbol = Symbol("no fast answer");

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Own enumerable keys, counted without allocating an array (for…in on a plain object sees only its own). */
function keyCount(record: Record<string, unknown>): number {
  let n = 0;
  for (const _key in record) n += 1;
  return n;
}

const digit = (text: string, at: number) => {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
const pair = (text: string, at: number) => {
  const hi = digit(text, at);
  const lo = digit(text, at + 1);
  return hi < 0 || lo < 0 ? -1 : hi * 10 + lo;
};

/**
 * "2026-03-02T09:00:00.000Z" exactly (toISOString's form) with a real calendar date: every such text passes
 * IsoTime (z.iso.datetime({ offset: true }) and the four-digit-year check); other forms go to the schema.
 */
export function isPlainIsoTime(text: unknown): text is string {
  if (typeof text !== "string" || text.length !== 24) return false;
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":" || text[16] !== ":" || text[19] !== "." || text[23] !== "Z") return false;
  const century = pair(text, 0);
  const yy = pair(text, 2);
  const month = pair(text, 5);
  const day = pair(text, 8);
  const hour = pair(text, 11);
  const minute = pair(text, 14);
  const second = pair(text, 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (digit(text, 20) < 0 || digit(text, 21) < 0 || digit(text, 22) < 0) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

function isProtocolDuration(text: unknown): text is string {
  return typeof text === "string" && text.length <= 40 && isDuration(text) && parseDuration(text) <= MAX_DURATION_DAYS * 86_400_000;
}

/* The last policy's four texts that passed: a fleet's answers all carry the same policy, and a string cannot change. */
let lastPolicy: readonly [unknown, unknown, unknown, unknown] = [undefined, undefined, undefined, undefined];

function fastPolicy(value: unknown): Policy | typeof NO {
  if (!isPlain(value) || keyCount(value) !== 4) return NO;
  const { heartbeatInterval, lockedHeartbeatInterval, offlineLockAfter, offlineWarningBefore } = value;
  const known =
    heartbeatInterval === lastPolicy[0] && lockedHeartbeatInterval === lastPolicy[1] && offlineLockAfter === lastPolicy[2] && offlineWarningBefore === lastPolicy[3];
  if (!known) {
    if (!isProtocolDuration(heartbeatInterval) || !isProtocolDuration(lockedHeartbeatInterval) || !isProtocolDuration(offlineLockAfter) || !isProtocolDuration(offlineWarningBefore)) return NO;
    lastPolicy = [heartbeatInterval, lockedHeartbeatInterval, offlineLockAfter, offlineWarningBefore];
  }
  return {
    heartbeatInterval: heartbeatInterval as string,
    lockedHeartbeatInterval: lockedHeartbeatInterval as string,
    offlineLockAfter: offlineLockAfter as string,
    offlineWarningBefore: offlineWarningBefore as string,
  };
}

/** Only `{ id, type }` (the `none` command and its like): a command with details goes to the schema. */
function fastCommand(value: unknown): Command | typeof NO {
  if (!isPlain(value) || keyCount(value) !== 2) return NO;
  const { id, type } = value;
  if (typeof id !== "string" || !(commandTypes as readonly unknown[]).includes(type)) return NO;
  return { id, type: type as Command["type"] };
}

fastPaths.set(HeartbeatResponse, (value) => {
  if (!isPlain(value)) return NO;
  const { serverTime, standing, command, nextHeartbeatAt, policy, nonce, signature, serverSignature } = value;
  const count = serverSignature === undefined ? 7 : 8;
  if (keyCount(value) !== count || (serverSignature !== undefined && typeof serverSignature !== "string")) return NO;
  if (!isPlainIsoTime(serverTime) || !isPlainIsoTime(nextHeartbeatAt) || typeof nonce !== "string" || typeof signature !== "string") return NO;
  if (!(standings as readonly unknown[]).includes(standing)) return NO;
  const parsedCommand = fastCommand(command);
  if (parsedCommand === NO) return NO;
  const parsedPolicy = fastPolicy(policy);
  if (parsedPolicy === NO) return NO;
  return {
    serverTime,
    standing,
    command: parsedCommand,
    nextHeartbeatAt,
    policy: parsedPolicy,
    nonce,
    signature,
    ...(serverSignature === undefined ? {} : { serverSignature }),
  };
});

/*
 * The lengths the schemas allow, read from them (zod's minLength/maxLength) rather than written here again, so a
 * schema that tightens a bound tightens the fast path with it.
 */
const within = (text: string, schema: { readonly minLength: number | null; readonly maxLength: number | null }) =>
  text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Infinity);
const NONCE = HeartbeatRequest.shape.nonce;
const LAST_COMMAND_ID = HeartbeatRequest.shape.lastCommandId.unwrap();

fastPaths.set(HeartbeatRequest, (value) => {
  if (!isPlain(value)) return NO;
  const { seq, state, lockReason, lastCommandId, nonce } = value;
  const count = 3 + (lockReason === undefined ? 0 : 1) + (lastCommandId === undefined ? 0 : 1);
  if (keyCount(value) !== count) return NO;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return NO;
  if (!(deviceStates as readonly unknown[]).includes(state) || typeof nonce !== "string" || !within(nonce, NONCE)) return NO;
  if (lockReason !== undefined && !(lockReasons as readonly unknown[]).includes(lockReason)) return NO;
  if (lastCommandId !== undefined && (typeof lastCommandId !== "string" || !within(lastCommandId, LAST_COMMAND_ID))) return NO;
  if (state === "locked" && lockReason === undefined) return NO;
  return {
    seq,
    state,
    ...(lockReason === undefined ? {} : { lockReason }),
    ...(lastCommandId === undefined ? {} : { lastCommandId }),
    nonce,
  };
});

fastPaths.set(DeviceParams, (value) => {
  if (!isPlain(value) || keyCount(value) !== 1) return NO;
  const { deviceId } = value;
  if (typeof deviceId !== "string" || !within(deviceId, Id) || !ID_PATTERN.test(deviceId)) return NO;
  return { deviceId };
});
