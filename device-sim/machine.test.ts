import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, SECOND, iso, type Millis } from "../core/clock.ts";
import type { CheckinResponse, Command } from "../protocol/messages/device.ts";
import { offlineCodeFor } from "../protocol/offline-code.ts";
import { signResponse } from "../protocol/signing.ts";
import { defaultPolicy, type Contact, type Money } from "../protocol/values.ts";
import { BOOT_TIME, initialSnapshot, reportedState, transition, type AgentEffect, type AgentEvent, type Step } from "./machine.ts";
import type { DeviceSnapshot, Timer } from "./snapshot.ts";

/** The lock agent as a pure machine: events and a `now` in, snapshot and effects out. No clock, no transport. */

const IMEI = "490154203237518";
const SECRET = "device-secret-1";
const CHALLENGE = "4821-7730";
const CONTACT: Contact = { phone: "+4930123456", email: "help@lender.example" };
const AMOUNT: readonly Money[] = [{ value: 49.99, currency: "EUR" }];
const T0: Millis = Date.parse("2026-03-02T09:00:00.000Z");
/** Boot is over and the check-in answered. */
const T_ENROL = T0 + BOOT_TIME;
/** The first heartbeat's answer. */
const T1 = T_ENROL + SECOND;

const READY: CheckinResponse = { status: "ready", deviceId: "dev-1", deviceToken: "token-1", deviceSecret: SECRET, policy: defaultPolicy };

const commands = {
  none: { id: "none", type: "none" },
  lock: { id: "dev-1.c1", type: "lock", message: "Your installment is overdue.", contact: CONTACT, amountDue: [...AMOUNT] },
  remind: { id: "dev-1.c2", type: "remind", lockAt: iso(T0 + 3 * DAY), contact: CONTACT, amountDue: [...AMOUNT] },
  unlock: { id: "dev-1.c3", type: "unlock" },
  release: { id: "dev-1.c4", type: "release" },
} as const satisfies Record<string, Command>;

type Move = readonly [AgentEvent, Millis];

/** Feeds the moves in order; returns the last step (its snapshot and only its effects). */
function play(start: DeviceSnapshot, ...moves: Move[]): Step {
  let step: Step = { snapshot: start, effects: [] };
  for (const [event, now] of moves) step = transition(step.snapshot, event, now);
  return step;
}

type Forgery = { readonly secret?: string; readonly echoedNonce?: string; readonly signedCommand?: Command };

/** A heartbeat answer signed like the lock service signs it; a forgery signs another secret, nonce or command. */
function answer(command: Command, now: Millis, forge: Forgery = {}): AgentEvent {
  const nonce = `nonce-${now}`;
  const body = {
    serverTime: iso(now),
    standing: "good" as const,
    command: forge.signedCommand ?? command,
    nextHeartbeatAt: iso(now + 6 * HOUR),
    policy: defaultPolicy,
    nonce: forge.echoedNonce ?? nonce,
  };
  const signed = signResponse(body, forge.secret ?? SECRET);
  // What arrives is the signed body with (possibly) another command swapped in after signing.
  const received = { ...signed, command };
  return { type: "heartbeat_answered", response: received, raw: received, nonce, jitter: 0 };
}

const timer = (which: Timer, challenge?: string): AgentEvent => ({ type: "timer", timer: which, ...(challenge ? { challenge } : {}) });

function scheduledAt(effects: readonly AgentEffect[], which: Timer): Millis | undefined {
  let at: Millis | undefined;
  for (const effect of effects) if (effect.type === "schedule" && effect.timer === which) at = effect.at;
  return at;
}
const scheduled = (effects: readonly AgentEffect[]): Timer[] => effects.flatMap((e) => (e.type === "schedule" ? [e.timer] : []));
const cancelled = (effects: readonly AgentEffect[]): Timer[] => effects.flatMap((e) => (e.type === "cancel" ? [e.timer] : []));
const sent = (effects: readonly AgentEffect[]): AgentEffect[] => effects.filter((e) => e.type.startsWith("send_"));
const logged = (effects: readonly AgentEffect[], event: string): number =>
  effects.filter((e) => e.type === "log" && e.event === event).length;

function enrolled(): DeviceSnapshot {
  return play(
    initialSnapshot(IMEI),
    [{ type: "power_on" }, T0],
    [timer("boot"), T_ENROL],
    [{ type: "checkin_answered", response: READY }, T_ENROL],
  ).snapshot;
}
const withCommand = (command: Command, at = T1): DeviceSnapshot => play(enrolled(), [answer(command, at), at]).snapshot;
const OFFLINE_LOCK_AT = T_ENROL + 30 * DAY;
const offlineLocked = (): DeviceSnapshot => play(enrolled(), [timer("offline_lock", CHALLENGE), OFFLINE_LOCK_AT]).snapshot;

describe("starting up", () => {
  it("restarts on power-on and checks in once the boot is over", () => {
    const booting = play(initialSnapshot(IMEI), [{ type: "power_on" }, T0]);
    expect(booting.snapshot.bootingUntil).toBe(T0 + BOOT_TIME);
    expect(scheduledAt(booting.effects, "boot")).toBe(T0 + BOOT_TIME);
    expect(sent(booting.effects)).toEqual([]);

    const booted = play(booting.snapshot, [timer("boot"), T0 + BOOT_TIME]);
    expect(booted.snapshot.bootingUntil).toBeUndefined();
    expect(sent(booted.effects)).toEqual([{ type: "send_checkin" }]);
  });

  it("runs unmanaged with no timers when the lock service answers stop", () => {
    const booted = play(initialSnapshot(IMEI), [{ type: "power_on" }, T0], [timer("boot"), T_ENROL]).snapshot;
    const stop = play(booted, [{ type: "checkin_answered", response: { status: "stop" } }, T_ENROL]);
    expect(stop.snapshot.status).toBe("unmanaged");
    expect(stop.snapshot.credentials).toBeUndefined();
    expect(scheduled(stop.effects)).toEqual([]);
    expect(cancelled(stop.effects)).toEqual(expect.arrayContaining(["heartbeat", "offline_warning", "offline_lock"]));
    expect(play(stop.snapshot, [timer("heartbeat"), T_ENROL + DAY]).effects).toEqual([]);
  });

  it("enrols active on a ready answer, arms the offline timers and sends the first heartbeat", () => {
    const booted = play(initialSnapshot(IMEI), [{ type: "power_on" }, T0], [timer("boot"), T_ENROL]).snapshot;
    const ready = play(booted, [{ type: "checkin_answered", response: READY }, T_ENROL]);
    expect(ready.snapshot.status).toBe("active");
    expect(ready.snapshot.credentials).toEqual({ deviceId: "dev-1", token: "token-1", secret: SECRET });
    expect(scheduledAt(ready.effects, "offline_warning")).toBe(T_ENROL + 27 * DAY);
    expect(scheduledAt(ready.effects, "offline_lock")).toBe(T_ENROL + 30 * DAY);
    expect(sent(ready.effects)).toEqual([{ type: "send_heartbeat", seq: 1 }]);
  });
});

describe("heartbeat answers", () => {
  it("verifies the signature over the answer as received, so a field the server adds does not break it", () => {
    const nonce = `nonce-${T1}`;
    const body = { serverTime: iso(T1), standing: "good" as const, command: commands.none, nextHeartbeatAt: iso(T1 + 6 * HOUR), policy: defaultPolicy, nonce };
    const raw = signResponse({ ...body, region: "eu-west" }, SECRET); // a field this client does not know
    const step = play(enrolled(), [{ type: "heartbeat_answered", response: { ...raw }, raw, nonce, jitter: 0 }, T1]);
    expect(step.snapshot.lastValidAt).toBe(T1);
    expect(step.effects.some((e) => e.type === "log" && e.event === "device.response_rejected")).toBe(false);
  });

  it("takes the driver's HMAC verdict only for the secret it was checked under, and checks again otherwise", () => {
    const forged = answer(commands.unlock, T1, { secret: "not-the-device-secret" });
    const rejected = (event: AgentEvent) => play(enrolled(), [event, T1]).effects.some((e) => e.type === "log" && e.event === "device.response_rejected");
    // A verdict under another secret is ignored: the machine hashes the answer itself and finds the forgery.
    expect(rejected({ ...forged, verified: { secret: "not-the-device-secret", ok: true } } as AgentEvent)).toBe(true);
    // Under the device's own secret, the verdict stands in for the hash (the driver has just computed it).
    expect(rejected({ ...answer(commands.none, T1), verified: { secret: SECRET, ok: false } } as AgentEvent)).toBe(true);
    expect(rejected({ ...answer(commands.none, T1), verified: { secret: SECRET, ok: true } } as AgentEvent)).toBe(false);
  });

  it("accepts a signed answer that echoes the nonce, counts it as contact and schedules the next heartbeat", () => {
    const step = play(enrolled(), [answer(commands.none, T1), T1]);
    expect(step.snapshot.lastValidAt).toBe(T1);
    expect(scheduledAt(step.effects, "heartbeat")).toBe(T1 + 6 * HOUR);
    expect(scheduledAt(step.effects, "offline_lock")).toBe(T1 + 30 * DAY);
  });

  it.each<[string, Forgery, string]>([
    ["signed with another secret", { secret: "forger-secret" }, "signature"],
    ["swapped in for the signed `none`", { signedCommand: commands.none }, "signature"],
    ["echoing another nonce", { echoedNonce: "nonce-replayed" }, "nonce"],
  ])("ignores an unlock %s, logs the rejection and retries in a minute", (_label, forge, reason) => {
    const locked = withCommand(commands.lock);
    const forged = play(locked, [answer(commands.unlock, T1 + HOUR, forge), T1 + HOUR]);
    expect(forged.snapshot.status).toBe("locked");
    expect(forged.snapshot.lock).toEqual(locked.lock);
    expect(forged.snapshot.lastValidAt).toBe(locked.lastValidAt);
    expect(forged.effects).toContainEqual(
      expect.objectContaining({ type: "log", event: "device.response_rejected", data: expect.objectContaining({ reason }) }),
    );
    expect(scheduledAt(forged.effects, "heartbeat")).toBe(T1 + HOUR + MINUTE);
    expect(scheduledAt(forged.effects, "offline_lock")).toBeUndefined();
  });
});

describe("commands", () => {
  it("locks for an overdue payment, keeping the lender's message, contact and amount", () => {
    const { snapshot, effects } = play(enrolled(), [answer(commands.lock, T1), T1]);
    expect(snapshot.status).toBe("locked");
    expect(snapshot.lock).toEqual({ reason: "overdue", message: commands.lock.message, contact: CONTACT, amountDue: AMOUNT, since: T1 });
    expect(reportedState(snapshot)).toEqual({ state: "locked", lockReason: "overdue" });
    expect(logged(effects, "device.state_changed")).toBe(1);
  });

  it("reminds with the lock time, amount and contact", () => {
    const snapshot = withCommand(commands.remind);
    expect(snapshot.status).toBe("reminding");
    expect(snapshot.reminder).toEqual({ lockAt: commands.remind.lockAt, amountDue: AMOUNT, contact: CONTACT });
  });

  it("unlocks a locked phone and clears the lock and both keypads", () => {
    const locked = withCommand(commands.lock);
    const cooling: DeviceSnapshot = { ...locked, keypad: { failures: 5, cooldownUntil: T1 + HOUR }, offlineKeypad: { failures: 2 } };
    const { snapshot } = play(cooling, [answer(commands.unlock, T1 + HOUR), T1 + HOUR]);
    expect(snapshot.status).toBe("active");
    expect(snapshot.lock).toBeUndefined();
    expect(snapshot.keypad).toEqual({ failures: 0 });
    expect(snapshot.offlineKeypad).toEqual({ failures: 0 });
  });

  it("releases the phone and cancels every timer, scheduling none", () => {
    const { snapshot, effects } = play(withCommand(commands.lock), [answer(commands.release, T1 + HOUR), T1 + HOUR]);
    expect(snapshot.status).toBe("released");
    expect(snapshot.lock).toBeUndefined();
    expect(cancelled(effects)).toEqual(expect.arrayContaining(["heartbeat", "offline_warning", "offline_lock"]));
    expect(scheduled(effects)).toEqual([]);
    expect(play(snapshot, [timer("heartbeat"), T1 + DAY]).effects).toEqual([]);
    expect(play(snapshot, [timer("offline_lock", CHALLENGE), T1 + 40 * DAY]).snapshot.status).toBe("released");
  });

  it("applies a repeated command id once", () => {
    const locked = withCommand(commands.lock);
    const repeat = play(locked, [answer(commands.lock, T1 + HOUR), T1 + HOUR]);
    expect(logged(repeat.effects, "device.command_applied")).toBe(0);
    expect(repeat.snapshot.lock?.since).toBe(T1);
    expect(repeat.snapshot.lastCommandId).toBe(commands.lock.id);
  });
});

describe("backoff", () => {
  it("retries after 1 minute, doubling with each failure and capping at the heartbeat interval", () => {
    let snapshot = enrolled();
    const delays: number[] = [];
    for (let i = 0; i < 11; i++) {
      const step = play(snapshot, [{ type: "call_failed", call: "heartbeat", error: "timeout" }, T1]);
      delays.push(((scheduledAt(step.effects, "heartbeat") ?? NaN) - T1) / MINUTE);
      snapshot = step.snapshot;
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
  });

  it("starts again from 1 minute after a valid answer", () => {
    const fail: AgentEvent = { type: "call_failed", call: "heartbeat", error: "timeout" };
    const recovered = play(enrolled(), [fail, T1], [fail, T1], [fail, T1], [answer(commands.none, T1 + HOUR), T1 + HOUR]).snapshot;
    const next = play(recovered, [fail, T1 + 2 * HOUR]);
    expect(scheduledAt(next.effects, "heartbeat")).toBe(T1 + 2 * HOUR + MINUTE);
  });
});

describe("going offline", () => {
  it("re-arms the offline warning and lock from the last valid answer", () => {
    const later = T1 + 5 * DAY;
    const { effects } = play(enrolled(), [answer(commands.none, later), later]);
    expect(scheduledAt(effects, "offline_warning")).toBe(later + 30 * DAY - 3 * DAY);
    expect(scheduledAt(effects, "offline_lock")).toBe(later + 30 * DAY);
  });

  it("warns the owner when the warning timer fires, naming the lock time", () => {
    const { snapshot, effects } = play(enrolled(), [timer("offline_warning"), T_ENROL + 27 * DAY]);
    expect(snapshot.offlineWarningShown).toBe(true);
    expect(effects).toContainEqual(
      expect.objectContaining({ event: "device.offline_warning", data: expect.objectContaining({ lockAt: iso(OFFLINE_LOCK_AT) }) }),
    );
  });

  it("locks itself with reason offline, shows the challenge and keeps trying every locked interval", () => {
    const { snapshot, effects } = play(enrolled(), [timer("offline_lock", CHALLENGE), OFFLINE_LOCK_AT]);
    expect(snapshot.status).toBe("locked");
    expect(snapshot.lock).toMatchObject({ reason: "offline", challenge: CHALLENGE });
    expect(reportedState(snapshot)).toEqual({ state: "locked", lockReason: "offline" });
    expect(scheduledAt(effects, "heartbeat")).toBe(OFFLINE_LOCK_AT + 15 * MINUTE);
  });

  it("does not replace an overdue lock with an offline lock", () => {
    const locked = withCommand(commands.lock);
    const { snapshot, effects } = play(locked, [timer("offline_lock", CHALLENGE), T1 + 30 * DAY]);
    expect(snapshot).toEqual(locked);
    expect(effects).toEqual([]);
  });

  it("keeps the lender's contact it already knew when it locks itself offline", () => {
    const reminded = withCommand(commands.remind);
    const { snapshot } = play(reminded, [timer("offline_lock", CHALLENGE), T1 + 30 * DAY]);
    expect(snapshot.lock?.contact).toEqual(CONTACT);
  });
});

describe("offline codes", () => {
  const RIGHT = offlineCodeFor(CHALLENGE, SECRET);
  const WRONG = RIGHT === "00000000" ? "11111111" : "00000000";
  const entered = (code: string): AgentEvent => ({ type: "offline_code_entered", code });
  const AT = OFFLINE_LOCK_AT + HOUR;

  it("unlocks with the answer to the challenge, restarts and then sends a heartbeat", () => {
    const accepted = play(offlineLocked(), [entered(RIGHT), AT]);
    expect(accepted.snapshot.status).toBe("active");
    expect(accepted.snapshot.lock).toBeUndefined();
    expect(accepted.snapshot.lastValidAt).toBe(AT);
    expect(scheduledAt(accepted.effects, "offline_lock")).toBe(AT + 30 * DAY);
    expect(scheduledAt(accepted.effects, "boot")).toBe(AT + BOOT_TIME);
    expect(sent(play(accepted.snapshot, [timer("boot"), AT + BOOT_TIME]).effects)).toEqual([{ type: "send_heartbeat", seq: 2 }]);
  });

  it("accepts the answer typed with a dash", () => {
    expect(play(offlineLocked(), [entered(`${RIGHT.slice(0, 4)}-${RIGHT.slice(4)}`), AT]).snapshot.status).toBe("active");
  });

  it("starts a 5-minute local cooldown with the fifth wrong code, during which even the right code is not checked", () => {
    const fiveWrong = Array.from({ length: 5 }, (): Move => [entered(WRONG), AT]);
    const cooling = play(offlineLocked(), ...fiveWrong).snapshot;
    expect(cooling.status).toBe("locked");
    expect(cooling.offlineKeypad).toMatchObject({ failures: 5, cooldownUntil: AT + 5 * MINUTE });

    const tooSoon = play(cooling, [entered(RIGHT), AT + 4 * MINUTE]).snapshot;
    expect(tooSoon.status).toBe("locked");
    expect(tooSoon.offlineKeypad.last).toBe("cooldown");
    expect(play(cooling, [entered(RIGHT), AT + 5 * MINUTE]).snapshot.status).toBe("active");
  });

  it("doubles the local cooldown with the sixth wrong code", () => {
    const fiveWrong = Array.from({ length: 5 }, (): Move => [entered(WRONG), AT]);
    const sixth = play(offlineLocked(), ...fiveWrong, [entered(WRONG), AT + 5 * MINUTE]).snapshot;
    expect(sixth.offlineKeypad.cooldownUntil).toBe(AT + 5 * MINUTE + 10 * MINUTE);
  });
});

describe("unlock codes typed on the phone", () => {
  const code: AgentEvent = { type: "code_entered", code: "12345678" };

  it("sends the code of a locked, online phone to the lock service", () => {
    expect(sent(play(withCommand(commands.lock), [code, T1 + HOUR]).effects)).toEqual([{ type: "send_unlock_attempt", code: "12345678" }]);
  });

  it.each<[string, () => DeviceSnapshot]>([
    ["a phone that is not locked", () => withCommand(commands.remind)],
    ["a locked phone that is restarting", () => play(withCommand(commands.lock), [{ type: "reboot" }, T1 + HOUR]).snapshot],
  ])("sends nothing from %s", (_label, make) => {
    expect(sent(play(make(), [code, T1 + HOUR]).effects)).toEqual([]);
  });

  it("sends nothing without a network and tells the owner why", () => {
    const offline = play(withCommand(commands.lock), [{ type: "network", online: false }, T1 + HOUR]).snapshot;
    const { snapshot, effects } = play(offline, [code, T1 + 2 * HOUR]);
    expect(sent(effects)).toEqual([]);
    expect(snapshot.keypad.last).toBe("unreachable");
  });

  it("keeps the lock across a reboot", () => {
    expect(play(withCommand(commands.lock), [{ type: "reboot" }, T1 + HOUR]).snapshot.status).toBe("locked");
  });

  it("restarts after an accepted code and then sends a heartbeat reporting active", () => {
    const accepted = play(withCommand(commands.lock), [{ type: "unlock_answered", outcome: { result: "accepted" } }, T1 + HOUR]);
    expect(accepted.snapshot.status).toBe("active");
    expect(accepted.snapshot.bootingUntil).toBe(T1 + HOUR + BOOT_TIME);
    const booted = play(accepted.snapshot, [timer("boot"), T1 + HOUR + BOOT_TIME]);
    expect(sent(booted.effects)).toEqual([{ type: "send_heartbeat", seq: 2 }]);
    expect(reportedState(booted.snapshot)).toEqual({ state: "active" });
  });
});

describe("credentials and resets", () => {
  it("drops rejected credentials but keeps the lock, and checks in again on the retry", () => {
    const rejected = play(withCommand(commands.lock), [{ type: "credentials_rejected", status: 401 }, T1 + HOUR]);
    expect(rejected.snapshot.credentials).toBeUndefined();
    expect(rejected.snapshot.status).toBe("locked");
    expect(rejected.snapshot.lock?.reason).toBe("overdue");
    const retryAt = scheduledAt(rejected.effects, "heartbeat") ?? NaN;
    expect(retryAt).toBe(T1 + HOUR + MINUTE);

    expect(sent(play(rejected.snapshot, [timer("heartbeat"), retryAt]).effects)).toEqual([{ type: "send_checkin" }]);
    const again = play(rejected.snapshot, [{ type: "checkin_answered", response: { ...READY, deviceToken: "token-2" } }, retryAt]);
    expect(again.snapshot.status).toBe("locked");
    expect(sent(again.effects)).toEqual([{ type: "send_heartbeat", seq: 1 }]);
  });

  it("wipes credentials and the lock on a factory reset and restarts into a check-in", () => {
    const reset = play(withCommand(commands.lock), [{ type: "factory_reset" }, T1 + HOUR]);
    expect(reset.snapshot.status).toBe("unenrolled");
    expect(reset.snapshot.credentials).toBeUndefined();
    expect(reset.snapshot.lock).toBeUndefined();
    expect(reset.snapshot.lastCommandId).toBeUndefined();
    expect(cancelled(reset.effects)).toEqual(expect.arrayContaining(["heartbeat", "offline_warning", "offline_lock"]));
    expect(scheduledAt(reset.effects, "boot")).toBe(T1 + HOUR + BOOT_TIME);
    expect(sent(play(reset.snapshot, [timer("boot"), T1 + HOUR + BOOT_TIME]).effects)).toEqual([{ type: "send_checkin" }]);
  });
});
