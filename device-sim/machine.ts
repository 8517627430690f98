import { MINUTE, SECOND, type Millis } from "../core/clock.ts";
import { parseDuration } from "../core/duration.ts";
import type { EventData } from "../core/journal.ts";
import type { CheckinResponse, Command, HeartbeatResponse } from "../protocol/messages/device.ts";
import { offlineCodeFor } from "../protocol/offline-code.ts";
import { verifyResponse } from "../protocol/signing.ts";
import { cooldownAfter, defaultAttemptRules } from "../protocol/attempts.ts";
import { defaultPolicy, type LockReason, type Policy } from "../protocol/values.ts";
import type { AgentPolicy, AgentStatus, DeviceSnapshot, Keypad, KeypadCause, Timer } from "./snapshot.ts";

/**
 * The lock agent as a pure state machine: (snapshot, event, now) -> next snapshot + effects. It never
 * reads a clock, draws a random number or sends anything: randomness arrives inside events, and the
 * driver (agent.ts) performs the effects. That is what lets one story run identically on virtual time,
 * over HTTP, or live in a workshop.
 */
export type AgentEvent =
  | { readonly type: "power_on" }
  | { readonly type: "power_off" }
  | { readonly type: "reboot" }
  | { readonly type: "factory_reset" }
  | { readonly type: "network"; readonly online: boolean }
  | { readonly type: "tamper_detected"; readonly challenge: string }
  | { readonly type: "timer"; readonly timer: Timer; readonly challenge?: string; readonly jitter?: number }
  | { readonly type: "checkin_answered"; readonly response: CheckinResponse }
  /**
   * `raw` is the answer exactly as received: the signature covers it, not the parsed copy (which drops unknown fields).
   * `verified`, when the driver has already checked `raw`'s HMAC (it must, to enforce the pinned key), is that verdict
   * and the secret it used: the machine then trusts it for that same secret instead of hashing the answer again.
   */
  | {
      readonly type: "heartbeat_answered";
      readonly response: HeartbeatResponse;
      readonly raw: unknown;
      readonly nonce: string;
      readonly jitter: number;
      readonly verified?: { readonly secret: string; readonly ok: boolean };
    }
  | { readonly type: "call_failed"; readonly call: "checkin" | "heartbeat"; readonly error: string }
  /** The lock service no longer knows our token (a reset, or another check-in): enrol again by IMEI. */
  | { readonly type: "credentials_rejected"; readonly status: number }
  | { readonly type: "code_entered"; readonly code: string }
  | { readonly type: "unlock_answered"; readonly outcome: UnlockOutcome }
  | { readonly type: "offline_code_entered"; readonly code: string };

export type UnlockOutcome =
  | { readonly result: "accepted" }
  | { readonly result: "invalid"; readonly attemptsLeft?: number; readonly retryAfter?: Millis }
  | { readonly result: "expired" }
  | { readonly result: "cooldown"; readonly retryAfter: Millis }
  | { readonly result: "unreachable"; readonly cause: KeypadCause };

export type AgentEffect =
  | { readonly type: "send_checkin" }
  | { readonly type: "send_heartbeat"; readonly seq: number }
  | { readonly type: "send_unlock_attempt"; readonly code: string }
  | { readonly type: "schedule"; readonly timer: Timer; readonly at: Millis }
  | { readonly type: "cancel"; readonly timer: Timer }
  | { readonly type: "log"; readonly actor: "device" | "owner"; readonly event: string; readonly data: EventData };

export interface Step {
  readonly snapshot: DeviceSnapshot;
  readonly effects: readonly AgentEffect[];
}

/** How long the phone takes to restart (after a reboot, a factory reset or a code unlock). */
export const BOOT_TIME = 45 * SECOND;
/** First retry after a failed call; doubles per failure, capped at the heartbeat interval. */
export const RETRY_BASE = MINUTE;
/** Jitter spreads a fleet's heartbeats: up to 2% of the interval, at most five minutes. */
const JITTER_SHARE = 0.02;
const JITTER_MAX = 5 * MINUTE;

export function initialSnapshot(imei: string, model?: string): DeviceSnapshot {
  return {
    imei,
    model,
    status: "unenrolled",
    policy: parsePolicy(defaultPolicy),
    seq: 0,
    failures: 0,
    online: true,
    offlineWarningShown: false,
    keypad: UNTOUCHED_KEYPAD,
    offlineKeypad: UNTOUCHED_KEYPAD,
  };
}

/**
 * Every heartbeat answer carries the policy, and a fleet's phones almost always get the same one: the last
 * answer is remembered, so equal policies share one frozen object (no parse and no copy per heartbeat per phone).
 */
export function parsePolicy(policy: Policy): AgentPolicy {
  const last = lastPolicy;
  if (
    last !== undefined &&
    last.source.heartbeatInterval === policy.heartbeatInterval &&
    last.source.lockedHeartbeatInterval === policy.lockedHeartbeatInterval &&
    last.source.offlineLockAfter === policy.offlineLockAfter &&
    last.source.offlineWarningBefore === policy.offlineWarningBefore
  ) {
    return last.parsed;
  }
  const source = {
    heartbeatInterval: policy.heartbeatInterval,
    lockedHeartbeatInterval: policy.lockedHeartbeatInterval,
    offlineLockAfter: policy.offlineLockAfter,
    offlineWarningBefore: policy.offlineWarningBefore,
  };
  const parsed: AgentPolicy = Object.freeze({
    heartbeatInterval: parseDuration(policy.heartbeatInterval),
    lockedHeartbeatInterval: parseDuration(policy.lockedHeartbeatInterval),
    offlineLockAfter: parseDuration(policy.offlineLockAfter),
    offlineWarningBefore: parseDuration(policy.offlineWarningBefore),
  });
  lastPolicy = { source, parsed };
  return parsed;
}

let lastPolicy: { readonly source: Policy; readonly parsed: AgentPolicy } | undefined;

/** A keypad nobody has typed on: shared by every phone (snapshots are immutable). */
const UNTOUCHED_KEYPAD: Keypad = Object.freeze({ failures: 0 });

export function transition(s: DeviceSnapshot, event: AgentEvent, now: Millis): Step {
  const step = new StepBuilder(s);
  switch (event.type) {
    case "power_on":
      if (s.poweredOff) step.set({ poweredOff: undefined });
      return restart(step, now, "device.powered_on");
    case "reboot":
      if (s.poweredOff) return step.done();
      return restart(step, now, "device.rebooted");
    case "power_off":
      // Off: no boot, no heartbeat. The offline deadline is the phone's own clock and keeps counting, so a
      // phone left off past it is locked offline when it is switched on again.
      if (s.poweredOff) return step.done();
      step.log("owner", "device.powered_off", ids(s));
      step.set({ poweredOff: true, bootingUntil: undefined });
      step.cancel("heartbeat");
      step.cancel("boot");
      return step.done();
    case "factory_reset": {
      // Credentials and the agent's memory are wiped; the IMEI is not. The phone must check in again to be
      // usable, and the lock service answers by IMEI: a reset does not escape an overdue lock. A tamper lock
      // is the phone's own verdict, kept in storage a reset does not wipe, so it survives as it is.
      const tamper = s.status === "locked" && s.lock?.reason === "tamper" ? s.lock : undefined;
      step.log("owner", "device.factory_reset", ids(s));
      step.set({
        status: tamper ? "locked" : "unenrolled",
        credentials: undefined,
        managedSince: undefined,
        seq: 0,
        lastCommandId: undefined,
        lastValidAt: undefined,
        reminder: undefined,
        lock: tamper,
        offlineWarningShown: false,
        keypad: UNTOUCHED_KEYPAD,
        offlineKeypad: UNTOUCHED_KEYPAD,
        failures: 0,
      });
      for (const timer of ["heartbeat", "offline_warning", "offline_lock"] as const) step.cancel(timer);
      return restart(step, now, undefined);
    }
    case "network":
      return network(step, event.online, now);
    case "tamper_detected":
      if (!isManaged(s.status) || s.status === "locked") return step.done();
      return lockLocally(step, "tamper", event.challenge, now);
    case "timer":
      return timer(step, event, now);
    case "checkin_answered":
      return checkinAnswered(step, event.response, now);
    case "heartbeat_answered":
      return heartbeatAnswered(step, event, now);
    case "call_failed":
      return callFailed(step, event, now);
    case "credentials_rejected":
      step.log("device", "device.credentials_rejected", { ...ids(s), status: event.status });
      // The lock state is kept: only the credentials go, so the next call home is a check-in.
      step.set({ credentials: undefined, seq: 0 });
      return backoff(step, now);
    case "code_entered":
      return codeEntered(step, event.code, now);
    case "unlock_answered":
      return unlockAnswered(step, event.outcome, now);
    case "offline_code_entered":
      return offlineCodeEntered(step, event.code, now);
  }
}

/** What the agent reports in a heartbeat: the protocol's view of its status. */
export function reportedState(s: DeviceSnapshot): { state: Exclude<AgentStatus, "unenrolled">; lockReason?: LockReason } {
  if (s.status === "locked") return { state: "locked", lockReason: s.lock?.reason ?? "overdue" };
  return { state: s.status === "unenrolled" ? "active" : s.status };
}

function restart(step: StepBuilder, now: Millis, logged: string | undefined): Step {
  if (logged) step.log("owner", logged, ids(step.current));
  step.set({ bootingUntil: now + BOOT_TIME });
  step.cancel("heartbeat");
  step.schedule("boot", now + BOOT_TIME);
  return step.done();
}

function network(step: StepBuilder, online: boolean, now: Millis): Step {
  const s = step.current;
  if (s.online === online) return step.done();
  step.set({ online });
  step.log("owner", online ? "device.online" : "device.offline", ids(s));
  // Back online: call home now rather than waiting out a long backoff.
  if (online && !isBooting(s, now) && s.status !== "unmanaged" && s.status !== "released") {
    step.cancel("heartbeat");
    callHome(step);
  }
  return step.done();
}

function timer(step: StepBuilder, event: Extract<AgentEvent, { type: "timer" }>, now: Millis): Step {
  const s = step.current;
  switch (event.timer) {
    case "boot":
      step.set({ bootingUntil: undefined });
      if (s.status === "unmanaged" || s.status === "released") return step.done();
      callHome(step);
      return step.done();
    case "heartbeat":
      if (isBooting(s, now) || s.status === "unmanaged" || s.status === "released") return step.done();
      callHome(step);
      return step.done();
    case "offline_warning":
      if (!isManaged(s.status) || s.status === "locked") return step.done();
      step.set({ offlineWarningShown: true });
      step.log("device", "device.offline_warning", { ...ids(s), lockAt: lockDeadline(s) });
      return step.done();
    case "offline_lock":
      if (!isManaged(s.status) || s.status === "locked") return step.done();
      return lockLocally(step, "offline", event.challenge ?? "", now);
  }
}

/** Checks in when not enrolled, otherwise sends a heartbeat. */
function callHome(step: StepBuilder): void {
  const s = step.current;
  if (s.poweredOff) return;
  if (s.status === "unenrolled" || !s.credentials) {
    step.effect({ type: "send_checkin" });
    return;
  }
  const seq = s.seq + 1;
  step.set({ seq });
  step.effect({ type: "send_heartbeat", seq });
}

function checkinAnswered(step: StepBuilder, response: CheckinResponse, now: Millis): Step {
  const s = step.current;
  if (response.status === "stop") {
    if (s.managedSince !== undefined) {
      // Only a signed `release` ends management: an unsigned "stop" to an enrolled phone changes nothing.
      step.log("device", "device.checkin_refused", { imei: s.imei, answer: "stop" });
      return backoff(step, now);
    }
    // No lender financed this phone: it runs unmanaged, free of any lock.
    step.set({ failures: 0, lock: undefined, reminder: undefined, credentials: undefined });
    changeStatus(step, "unmanaged", {});
    for (const timer of ["heartbeat", "offline_warning", "offline_lock"] as const) step.cancel(timer);
    return step.done();
  }
  step.set({
    credentials: { deviceId: response.deviceId, token: response.deviceToken, secret: response.deviceSecret },
    policy: parsePolicy(response.policy),
    seq: 0,
    failures: 0,
    managedSince: s.managedSince ?? now,
    // The offline countdown starts at the first enrolment. A check-in answer is not signed, so a later one
    // does not count as contact: only a signed heartbeat does.
    lastValidAt: s.lastValidAt ?? now,
  });
  step.log("device", "device.enrolled", { deviceId: response.deviceId, imei: s.imei });
  if (s.status === "unenrolled") changeStatus(step, "active", {});
  armOfflineTimers(step, now);
  // The first heartbeat goes out at once: that is when a re-enrolled phone learns it is still locked.
  callHome(step);
  return step.done();
}

function heartbeatAnswered(step: StepBuilder, event: Extract<AgentEvent, { type: "heartbeat_answered" }>, now: Millis): Step {
  const s = step.current;
  const { response } = event;
  const secret = s.credentials?.secret ?? "";
  const signed = event.raw as { signature: string };
  const verified = event.verified !== undefined && event.verified.secret === secret ? event.verified.ok : undefined;
  const reason = response.nonce !== event.nonce ? "nonce" : !(verified ?? verifyResponse(signed, secret)) ? "signature" : undefined;
  if (reason) {
    // A forged or replayed answer is ignored: it neither changes the state nor counts as contact.
    step.log("device", "device.response_rejected", { ...ids(s), reason, claimedCommand: response.command.type });
    return backoff(step, now);
  }
  step.set({ failures: 0, lastValidAt: now, offlineWarningShown: false, policy: parsePolicy(response.policy) });
  applyCommand(step, response.command, now);
  armOfflineTimers(step, now);
  const after = step.current;
  if (after.status === "released") return step.done();
  const next = Date.parse(response.nextHeartbeatAt);
  const interval = Math.max(0, next - now);
  // Whole seconds keep the timeline readable on slides; spreading a fleet needs no finer grain.
  const jitter = Math.floor((event.jitter * Math.min(interval * JITTER_SHARE, JITTER_MAX)) / SECOND) * SECOND;
  step.schedule("heartbeat", Math.max(now, next) + jitter);
  return step.done();
}

function applyCommand(step: StepBuilder, command: Command, now: Millis): void {
  const s = step.current;
  if (command.type === "none" || command.id === s.lastCommandId) return;
  step.set({ lastCommandId: command.id });
  step.log("device", "device.command_applied", { ...ids(s), commandId: command.id, type: command.type });
  switch (command.type) {
    case "lock":
      step.set({
        lock: { reason: "overdue", message: command.message, contact: command.contact, amountDue: command.amountDue, since: now },
        reminder: undefined,
      });
      changeStatus(step, "locked", { lockReason: "overdue" });
      return;
    case "remind":
      step.set({ reminder: { lockAt: command.lockAt, amountDue: command.amountDue, contact: command.contact }, lock: undefined });
      changeStatus(step, "reminding", {});
      return;
    case "unlock":
      step.set({ lock: undefined, reminder: undefined, keypad: UNTOUCHED_KEYPAD, offlineKeypad: UNTOUCHED_KEYPAD });
      changeStatus(step, "active", {});
      return;
    case "release":
      step.set({ lock: undefined, reminder: undefined, managedSince: undefined });
      changeStatus(step, "released", {});
      for (const timer of ["heartbeat", "offline_warning", "offline_lock"] as const) step.cancel(timer);
      return;
  }
}

function callFailed(step: StepBuilder, event: Extract<AgentEvent, { type: "call_failed" }>, now: Millis): Step {
  step.log("device", event.call === "checkin" ? "device.checkin_failed" : "device.heartbeat_failed", {
    ...ids(step.current),
    error: event.error,
  });
  return backoff(step, now);
}

/** Exponential backoff from one minute, doubling, never longer than the regular heartbeat interval. */
function backoff(step: StepBuilder, now: Millis): Step {
  const failures = step.current.failures + 1;
  step.set({ failures });
  const delay = Math.min(RETRY_BASE * 2 ** (failures - 1), step.current.policy.heartbeatInterval);
  step.schedule("heartbeat", now + delay);
  return step.done();
}

function codeEntered(step: StepBuilder, code: string, now: Millis): Step {
  const s = step.current;
  step.log("owner", "owner.code_entered", { ...ids(s), digits: code.length });
  if (s.status !== "locked" || isBooting(s, now)) return step.done();
  if (!s.online) {
    step.set({ keypad: { ...s.keypad, last: "unreachable", cause: "no_connection" } });
    return step.done();
  }
  step.effect({ type: "send_unlock_attempt", code });
  return step.done();
}

function unlockAnswered(step: StepBuilder, outcome: UnlockOutcome, now: Millis): Step {
  const s = step.current;
  switch (outcome.result) {
    case "accepted":
      step.log("device", "device.unlocked_by_code", ids(s));
      step.set({ lock: undefined, reminder: undefined, keypad: { failures: 0, last: "accepted" } });
      changeStatus(step, "active", {});
      armOfflineTimers(step, now);
      // The phone restarts and comes back to normal; its first heartbeat tells the lock service.
      return restart(step, now, undefined);
    case "invalid":
      step.set({
        keypad: {
          failures: s.keypad.failures + 1,
          last: "invalid",
          ...(outcome.attemptsLeft !== undefined ? { attemptsLeft: outcome.attemptsLeft } : {}),
          ...(outcome.retryAfter !== undefined ? { cooldownUntil: now + outcome.retryAfter } : {}),
        },
      });
      return step.done();
    case "expired":
      step.set({ keypad: { ...s.keypad, last: "expired" } });
      return step.done();
    case "cooldown":
      step.set({ keypad: { ...s.keypad, last: "cooldown", cooldownUntil: now + outcome.retryAfter } });
      return step.done();
    case "unreachable":
      step.set({ keypad: { ...s.keypad, last: "unreachable", cause: outcome.cause } });
      return step.done();
  }
}

function offlineCodeEntered(step: StepBuilder, code: string, now: Millis): Step {
  const s = step.current;
  step.log("owner", "owner.offline_code_entered", { ...ids(s), digits: code.length });
  const challenge = s.lock?.challenge;
  if (s.status !== "locked" || !challenge || !s.credentials || isBooting(s, now)) return step.done();
  const pad = s.offlineKeypad;
  if (pad.cooldownUntil !== undefined && now < pad.cooldownUntil) {
    step.set({ offlineKeypad: { ...pad, last: "cooldown" } });
    return step.done();
  }
  if (code.replace(/\D/g, "") !== offlineCodeFor(challenge, s.credentials.secret)) {
    // Offline codes are checked on the phone, with the same limits the lock service applies online.
    const failures = pad.failures + 1;
    const cooldown = cooldownAfter(failures, defaultAttemptRules);
    const keypad: Keypad = {
      failures,
      last: "invalid",
      ...(cooldown !== undefined ? { cooldownUntil: now + cooldown } : {}),
    };
    step.set({ offlineKeypad: keypad });
    step.log("device", "device.offline_code_rejected", { ...ids(s), failures });
    return step.done();
  }
  step.log("device", "device.offline_code_accepted", ids(s));
  // The answer proves support vouched for the phone: it counts as contact, so the offline countdown restarts.
  step.set({ lock: undefined, offlineKeypad: { failures: 0, last: "accepted" }, lastValidAt: now, offlineWarningShown: false });
  changeStatus(step, "active", {});
  armOfflineTimers(step, now);
  return restart(step, now, undefined);
}

function lockLocally(step: StepBuilder, reason: LockReason, challenge: string, now: Millis): Step {
  const s = step.current;
  // The phone still knows whom the owner can call: keep the lender's contact from the last lock or reminder.
  const contact = s.lock?.contact ?? s.reminder?.contact;
  step.set({ lock: { reason, challenge, since: now, ...(contact ? { contact } : {}) }, reminder: undefined, offlineKeypad: UNTOUCHED_KEYPAD });
  changeStatus(step, "locked", { lockReason: reason, challenge });
  // Keep trying to reach the lock service, which can lift an offline lock by itself.
  step.schedule("heartbeat", now + step.current.policy.lockedHeartbeatInterval);
  return step.done();
}

function armOfflineTimers(step: StepBuilder, now: Millis): void {
  const s = step.current;
  if (!isManaged(s.status) || s.lastValidAt === undefined) return;
  const lockAt = s.lastValidAt + s.policy.offlineLockAfter;
  step.schedule("offline_warning", Math.max(now, lockAt - s.policy.offlineWarningBefore));
  step.schedule("offline_lock", lockAt);
}

function changeStatus(step: StepBuilder, to: AgentStatus, data: EventData): void {
  const from = step.current.status;
  if (from === to && to !== "locked") return;
  step.set({ status: to });
  step.log("device", "device.state_changed", { ...ids(step.current), from, to, ...data });
}

function lockDeadline(s: DeviceSnapshot): string {
  return s.lastValidAt === undefined ? "" : new Date(s.lastValidAt + s.policy.offlineLockAfter).toISOString();
}

function isManaged(status: AgentStatus): boolean {
  return status === "active" || status === "reminding" || status === "locked";
}

function isBooting(s: DeviceSnapshot, now: Millis): boolean {
  return s.bootingUntil !== undefined && now < s.bootingUntil;
}

function ids(s: DeviceSnapshot): EventData {
  return s.credentials ? { deviceId: s.credentials.deviceId, imei: s.imei } : { imei: s.imei };
}

/** Accumulates one transition's snapshot changes and effects, in order. */
class StepBuilder {
  private readonly effects: AgentEffect[] = [];
  constructor(public current: DeviceSnapshot) {}
  set(patch: Partial<DeviceSnapshot>): void {
    this.current = { ...this.current, ...patch };
  }
  effect(effect: AgentEffect): void {
    this.effects.push(effect);
  }
  schedule(timer: Timer, at: Millis): void {
    this.effects.push({ type: "schedule", timer, at });
  }
  cancel(timer: Timer): void {
    this.effects.push({ type: "cancel", timer });
  }
  log(actor: "device" | "owner", event: string, data: EventData): void {
    this.effects.push({ type: "log", actor, event, data });
  }
  done(): Step {
    return { snapshot: this.current, effects: this.effects };
  }
}

