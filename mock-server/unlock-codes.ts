import type { Millis } from "../core/clock.ts";
import { constantTimeEqual } from "../protocol/signing.ts";
import type { DeviceRecord, UnlockCode } from "./model.ts";

/**
 * One-time unlock codes and the attempt limiter, as pure functions over a device record.
 * Five wrong codes start a cooldown; each further wrong code doubles it. A right code resets the count.
 */
export interface AttemptRules {
  readonly freeFailures: number;
  readonly baseCooldown: Millis;
}

export type AttemptOutcome =
  | { readonly result: "accepted"; readonly device: DeviceRecord }
  | { readonly result: "invalid"; readonly device: DeviceRecord; readonly attemptsLeft: number }
  | { readonly result: "expired"; readonly device: DeviceRecord }
  | { readonly result: "cooldown"; readonly device: DeviceRecord; readonly retryAfter: Millis };

/** A new code supersedes any earlier unused one: support hands out one code at a time. */
export function withNewCode(device: DeviceRecord, code: string, now: Millis, ttl: Millis): DeviceRecord {
  const codes = device.codes.map((c): UnlockCode => (isLive(c, now) ? { ...c, supersededAt: now } : c));
  return { ...device, codes: [...codes, { code, issuedAt: now, expiresAt: now + ttl }] };
}

export function attemptCode(device: DeviceRecord, entered: string, now: Millis, rules: AttemptRules): AttemptOutcome {
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
    if (isLive(candidate, now)) live = candidate;
    else old ??= candidate;
  }
  const match = live ?? old;

  if (match && isLive(match, now)) {
    const codes = device.codes.map((c) => (c === match ? { ...c, usedAt: now } : c));
    return { result: "accepted", device: { ...device, codes, attempts: { failures: 0 } } };
  }
  // The right code too late (or replaced by a newer one) is not the owner guessing: no failure is counted.
  if (match && match.usedAt === undefined) return { result: "expired", device };

  const failures = device.attempts.failures + 1;
  const over = failures - rules.freeFailures;
  const attempts =
    over >= 0 ? { failures, cooldownUntil: now + rules.baseCooldown * 2 ** over } : { failures };
  return { result: "invalid", device: { ...device, attempts }, attemptsLeft: Math.max(0, rules.freeFailures - failures) };
}

function isLive(code: UnlockCode, now: Millis): boolean {
  return code.usedAt === undefined && code.supersededAt === undefined && now < code.expiresAt;
}
