import type { Millis } from "../core/clock.ts";
import { constantTimeEqual } from "../protocol/signing.ts";
import { attemptsLeft, cooldownAfter, type AttemptRules } from "../protocol/attempts.ts";
import type { DeviceRecord, UnlockCode } from "./model.ts";

/**
 * One-time unlock codes and the attempt limiter, as pure functions over a device record.
 * Five wrong codes start a cooldown; each further wrong code doubles it. A right code resets the count.
 */
export type AttemptOutcome =
  | { readonly result: "accepted"; readonly device: DeviceRecord }
  | { readonly result: "invalid"; readonly device: DeviceRecord; readonly attemptsLeft: number }
  | { readonly result: "expired"; readonly device: DeviceRecord }
  | { readonly result: "cooldown"; readonly device: DeviceRecord; readonly retryAfter: Millis };

/**
 * A new code supersedes any earlier unused one: support hands out one code at a time. `epoch` is the
 * account's defaultEpoch now; a default reported later makes the code stale.
 */
export function withNewCode(device: DeviceRecord, code: string, now: Millis, ttl: Millis, epoch: number): DeviceRecord {
  const codes = device.codes.map((c): UnlockCode => (isLive(c, now, epoch) ? { ...c, supersededAt: now } : c));
  return { ...device, codes: [...codes, { code, epoch, issuedAt: now, expiresAt: now + ttl }] };
}

/** `epoch` is the account's defaultEpoch now: a code issued before the latest default no longer opens the phone. */
export function attemptCode(device: DeviceRecord, entered: string, now: Millis, rules: AttemptRules, epoch: number): AttemptOutcome {
  const { cooldownUntil } = device.attempts;
  if (cooldownUntil !== undefined && now < cooldownUntil) {
    return { result: "cooldown", device, retryAfter: cooldownUntil - now };
  }
  // Compare against every code, without stopping at the first match, so timing says nothing about which
  // matched. A live code wins over an old one with the same digits.
  let live: UnlockCode | undefined;
  let old: UnlockCode | undefined;
  for (const candidate of device.codes) {
    if (!constantTimeEqual(candidate.code, entered)) continue;
    if (isLive(candidate, now, epoch)) live = candidate;
    else old ??= candidate;
  }
  if (live) {
    const codes = device.codes.map((c) => (c === live ? { ...c, usedAt: now } : c));
    return { result: "accepted", device: { ...device, codes, attempts: { failures: 0 } } };
  }
  // The right code too late, replaced by a newer one, or issued before a newer default is not the owner
  // guessing: no failure is counted. A used code is a guess like any other.
  if (old && old.usedAt === undefined) return { result: "expired", device };

  const failures = device.attempts.failures + 1;
  const cooldown = cooldownAfter(failures, rules);
  const attempts = cooldown === undefined ? { failures } : { failures, cooldownUntil: now + cooldown };
  return { result: "invalid", device: { ...device, attempts }, attemptsLeft: attemptsLeft(failures, rules) };
}

function isLive(code: UnlockCode, now: Millis, epoch: number): boolean {
  return code.usedAt === undefined && code.supersededAt === undefined && now < code.expiresAt && code.epoch >= epoch;
}
