import { describe, expect, it } from "vitest";
import { HOUR, MINUTE, type Millis } from "../core/clock.ts";
import { defaultConfig } from "./config.ts";
import type { DeviceRecord } from "./model.ts";
import { deviceFixture } from "./test-fixtures.ts";
import { attemptCode, withNewCode, type AttemptOutcome } from "./unlock-codes.ts";

/** README "Unlock codes": single use, 72 hours, five free wrong codes, then a cooldown that doubles. */

const T0: Millis = Date.parse("2026-03-02T09:00:00.000Z");
const TTL = 72 * HOUR;
const rules = defaultConfig.attempts;
const CODE = "12345678";
const WRONG = "00000000";
/** The account's defaultEpoch throughout, except where a test reports a newer default. */
const EPOCH = 1;

function device(): DeviceRecord {
  return deviceFixture(T0);
}

const withCode = (code = CODE, at = T0): DeviceRecord => withNewCode(device(), code, at, TTL, EPOCH);

/** Enters `entered` `times` times at `at`, threading the device record; returns every outcome. */
function enter(start: DeviceRecord, entered: string, times: number, at: Millis): AttemptOutcome[] {
  const outcomes: AttemptOutcome[] = [];
  let current = start;
  for (let i = 0; i < times; i++) {
    const outcome = attemptCode(current, entered, at, rules, EPOCH);
    outcomes.push(outcome);
    current = outcome.device;
  }
  return outcomes;
}

function last(outcomes: readonly AttemptOutcome[]): AttemptOutcome {
  const outcome = outcomes.at(-1);
  if (!outcome) throw new Error("no attempt made");
  return outcome;
}

function cooldownOf(outcome: AttemptOutcome): Millis | undefined {
  return outcome.device.attempts.cooldownUntil === undefined ? undefined : outcome.device.attempts.cooldownUntil - T0;
}

describe("unlock codes", () => {
  it("accept a live code once", () => {
    const first = attemptCode(withCode(), CODE, T0 + HOUR, rules, EPOCH);
    expect(first.result).toBe("accepted");
    const second = attemptCode(first.device, CODE, T0 + 2 * HOUR, rules, EPOCH);
    expect(second.result).toBe("invalid");
  });

  it("count a used code as a wrong code", () => {
    const used = attemptCode(withCode(), CODE, T0, rules, EPOCH).device;
    const again = attemptCode(used, CODE, T0 + MINUTE, rules, EPOCH);
    expect(again.device.attempts.failures).toBe(1);
    expect(again).toMatchObject({ result: "invalid", attemptsLeft: 4 });
  });

  it("call a code expired after 72 hours, without counting a failure", () => {
    const late = attemptCode(withCode(), CODE, T0 + TTL, rules, EPOCH);
    expect(late.result).toBe("expired");
    expect(late.device.attempts.failures).toBe(0);
    expect(attemptCode(withCode(), CODE, T0 + TTL - 1, rules, EPOCH).result).toBe("accepted");
  });

  it("call a code replaced by a newer one expired, without counting a failure, and accept the newer one", () => {
    const replaced = withNewCode(withCode(CODE), "87654321", T0 + HOUR, TTL, EPOCH);
    const old = attemptCode(replaced, CODE, T0 + 2 * HOUR, rules, EPOCH);
    expect(old.result).toBe("expired");
    expect(old.device.attempts.failures).toBe(0);
    expect(attemptCode(replaced, "87654321", T0 + 2 * HOUR, rules, EPOCH).result).toBe("accepted");
  });

  it("count a wrong code and say how many attempts are left", () => {
    const outcomes = enter(withCode(), WRONG, 4, T0);
    expect(outcomes.map((o) => (o.result === "invalid" ? o.attemptsLeft : undefined))).toEqual([4, 3, 2, 1]);
    expect(cooldownOf(last(outcomes))).toBeUndefined();
  });

  it("start a 5-minute cooldown with the fifth wrong code", () => {
    const fifth = last(enter(withCode(), WRONG, 5, T0));
    expect(fifth).toMatchObject({ result: "invalid", attemptsLeft: 0 });
    expect(cooldownOf(fifth)).toBe(5 * MINUTE);
  });

  it("double the cooldown with each further wrong code: 10 minutes, then 20", () => {
    const fifth = last(enter(withCode(), WRONG, 5, T0)).device;
    const sixth = attemptCode(fifth, WRONG, T0 + 5 * MINUTE, rules, EPOCH);
    expect(sixth.device.attempts.cooldownUntil).toBe(T0 + 5 * MINUTE + 10 * MINUTE);
    const seventh = attemptCode(sixth.device, WRONG, T0 + 15 * MINUTE, rules, EPOCH);
    expect(seventh.device.attempts.cooldownUntil).toBe(T0 + 15 * MINUTE + 20 * MINUTE);
  });

  it("evaluate nothing during a cooldown, not even the right code, and say how long to wait", () => {
    const cooling = last(enter(withCode(), WRONG, 5, T0)).device;
    for (const entered of [CODE, WRONG]) {
      const outcome = attemptCode(cooling, entered, T0 + 2 * MINUTE, rules, EPOCH);
      expect(outcome).toEqual({ result: "cooldown", device: cooling, retryAfter: 3 * MINUTE });
    }
  });

  it("accept the right code once the cooldown is over, and reset the count", () => {
    const cooling = last(enter(withCode(), WRONG, 5, T0)).device;
    const accepted = attemptCode(cooling, CODE, T0 + 5 * MINUTE, rules, EPOCH);
    expect(accepted.result).toBe("accepted");
    expect(accepted.device.attempts).toEqual({ failures: 0 });
  });

  it("give five fresh attempts after a success", () => {
    const fourWrong = last(enter(withCode(), WRONG, 4, T0)).device;
    const unlocked = attemptCode(fourWrong, CODE, T0, rules, EPOCH).device;
    const withAnother = withNewCode(unlocked, "11223344", T0 + HOUR, TTL, EPOCH);
    const outcomes = enter(withAnother, WRONG, 4, T0 + HOUR);
    expect(cooldownOf(last(outcomes))).toBeUndefined();
    expect(last(outcomes)).toMatchObject({ result: "invalid", attemptsLeft: 1 });
  });

  it("count wrong codes for a device that has no code at all", () => {
    expect(attemptCode(device(), WRONG, T0, rules, EPOCH)).toMatchObject({ result: "invalid", attemptsLeft: 4 });
  });
});

describe("a code and the defaults reported after it", () => {
  it("does not open a phone for a default reported after the code was issued, and does not count it as a guess", () => {
    const outcome = attemptCode(withCode(), CODE, T0 + HOUR, rules, EPOCH + 1);
    expect(outcome.result).toBe("expired");
    expect(outcome.device.attempts.failures).toBe(0);
  });
});
