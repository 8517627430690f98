import { iso } from "../../core/clock.ts";
import type { HeartbeatResponse } from "../../protocol/messages/device.ts";
import { ProblemError } from "../../protocol/problem.ts";
import { hmacBase64url } from "../../protocol/signing.ts";
import { signHeartbeatAnswer } from "../../protocol/signed-answer.ts";
import { canonicalJson } from "../../protocol/canonical-json.ts";
import type { Principal } from "../auth.ts";
import { commandFor, issueCommand, targetState, type CommandKind } from "../commands.ts";
import { findFault } from "../faults.ts";
import type { Account, DeviceRecord } from "../model.ts";
import { owedAmounts } from "../money.ts";
import { serverSigned, type ServiceState } from "../state.ts";
import { attemptCode } from "../unlock-codes.ts";
import type { Handlers } from "./types.ts";

type DeviceOps = "checkin" | "heartbeat" | "unlockAttempt";

export const deviceHandlers: Handlers<DeviceOps> = {
  checkin(state, _caller, { body }) {
    // A dual-SIM phone has two IMEIs; it is financed if either was registered.
    const imeis = body.identifiers.filter((id) => id.type === "imei").map((id) => id.value);
    const device = imeis.map((imei) => state.store.findDeviceByImei(imei)).find((found) => found !== undefined);
    const imei = device?.imei ?? imeis[0] ?? "";
    state.log("device", "checkin", { imei, ...(body.model ? { model: body.model } : {}) });
    if (!device) {
      state.log("lock-service", "checkin.answered", { imei, status: "stop" });
      return { status: "stop" as const };
    }
    // A check-in (first, or after a factory reset) replaces the credentials; the old token stops working.
    if (device.enrolment) state.auth.revokeDevice(device.enrolment.token);
    const enrolment = { token: `dt-${state.credentials.token(24)}`, secret: state.credentials.token(32), enrolledAt: state.now() };
    state.auth.grantDevice(enrolment.token, device.deviceId);
    state.store.putDevice({ ...device, enrolment, lastSeq: -1, command: undefined });
    state.log("lock-service", "checkin.answered", {
      imei,
      status: "ready",
      deviceId: device.deviceId,
      reenrolment: device.enrolment !== undefined,
    });
    return serverSigned(state, {
      status: "ready" as const,
      deviceId: device.deviceId,
      deviceToken: enrolment.token,
      deviceSecret: enrolment.secret,
      policy: state.config.policy,
    });
  },

  heartbeat(state, caller, { params, body }) {
    const device = ownDevice(state, caller, params.deviceId);
    if (body.seq <= device.lastSeq) {
      throw new ProblemError(409, "conflict", `seq must increase: ${body.seq} is not above ${device.lastSeq}, the last one seen.`);
    }
    const now = state.now();
    const account = state.accountOf(device);
    state.log("device", "heartbeat", {
      deviceId: device.deviceId,
      seq: body.seq,
      state: body.state,
      ...(body.lockReason ? { lockReason: body.lockReason } : {}),
      ...(body.lastCommandId ? { lastCommandId: body.lastCommandId } : {}),
    });
    if (device.command && !device.command.acknowledged && body.lastCommandId === device.command.id) {
      state.log("lock-service", "command.acknowledged", { deviceId: device.deviceId, commandId: device.command.id, type: device.command.type });
    }

    const kind = commandFor(targetState(account, device), body);
    const issued = issueCommand(device, kind, body.lastCommandId);
    if (kind !== "none" && issued.commandCount !== device.commandCount) {
      state.log("lock-service", "command.issued", { deviceId: device.deviceId, commandId: issued.id, type: kind });
    }
    const lockedAfter = kind === "lock" || (kind === "none" && body.state === "locked");
    let next = now + (lockedAfter ? state.intervals.locked : state.intervals.regular);
    // While overdue, call back no later than the grace period's end, so the lock is not hours late.
    if (account.standing === "overdue" && account.lockAt !== undefined && account.lockAt > now) next = Math.min(next, account.lockAt);
    // Keys in canonical (sorted) order: signing then serialises the answer as it is, without sorting a copy.
    const response: Omit<HeartbeatResponse, "signature"> = {
      command: { id: issued.id, type: kind, ...commandDetails(state, kind, device, account) },
      nextHeartbeatAt: iso(next),
      nonce: body.nonce,
      policy: state.config.policy,
      serverTime: iso(now),
      standing: account.standing,
    };

    state.store.putDevice({
      ...device,
      lastSeq: body.seq,
      lastHeartbeatAt: now,
      reportedState: body.state,
      reportedLockReason: body.state === "locked" ? body.lockReason : undefined,
      command: issued.command,
      commandCount: issued.commandCount,
    });
    state.log("lock-service", "heartbeat.answered", {
      deviceId: device.deviceId,
      standing: account.standing,
      command: kind,
      commandId: issued.id,
      nextHeartbeatAt: response.nextHeartbeatAt,
    });

    const forge = findFault(state.faults, "forge", { deviceId: device.deviceId, accountId: device.accountId, imei: device.imei }, now);
    if (forge) {
      state.faultApplied(forge, { deviceId: device.deviceId });
      return forgedAnswer(state, response);
    }
    const secret = device.enrolment?.secret ?? "";
    // Both signatures and the wire text from one serialisation (the same bytes as signResponse(serverSigned(…))).
    return signHeartbeatAnswer(response, secret, state.serverKey);
  },

  unlockAttempt(state, caller, { params, body }) {
    const device = ownDevice(state, caller, params.deviceId);
    const now = state.now();
    state.log("device", "unlock_attempt", { deviceId: device.deviceId });
    const account = state.accountOf(device);
    const outcome = attemptCode(device, body.code, now, state.config.attempts, account.defaultEpoch);
    switch (outcome.result) {
      case "accepted": {
        state.store.putDevice({ ...outcome.device, unlockedThroughEpoch: account.defaultEpoch });
        state.log("lock-service", "unlock_attempt.answered", { deviceId: device.deviceId, result: "accepted" });
        return { result: "accepted" as const };
      }
      case "invalid": {
        state.store.putDevice(outcome.device);
        const { failures, cooldownUntil } = outcome.device.attempts;
        state.log("lock-service", "unlock_attempt.answered", {
          deviceId: device.deviceId,
          result: "code_invalid",
          failures,
          ...(cooldownUntil !== undefined ? { cooldownUntil: iso(cooldownUntil) } : {}),
        });
        const left =
          cooldownUntil !== undefined
            ? `Too many wrong codes: try again in ${Math.ceil((cooldownUntil - now) / 1000)} seconds.`
            : `${outcome.attemptsLeft} attempt(s) left before a cooldown.`;
        // The wrong code that starts a cooldown says when it ends (Retry-After), so a phone can name the time.
        throw new ProblemError(422, "code_invalid", `That code is not valid for this device. ${left}`, {
          attemptsLeft: outcome.attemptsLeft,
          ...(cooldownUntil !== undefined ? { retryAfterSeconds: Math.ceil((cooldownUntil - now) / 1000) } : {}),
        });
      }
      case "expired":
        state.log("lock-service", "unlock_attempt.answered", { deviceId: device.deviceId, result: "code_expired" });
        throw new ProblemError(
          410,
          "code_expired",
          "That code has expired, was replaced by a newer one, or was issued before the latest missed payment; ask support for a new code.",
        );
      case "cooldown": {
        const seconds = Math.ceil(outcome.retryAfter / 1000);
        state.log("lock-service", "unlock_attempt.answered", { deviceId: device.deviceId, result: "too_many_attempts", retryAfter: seconds });
        throw new ProblemError(429, "too_many_attempts", `Too many wrong codes: try again in ${seconds} seconds.`, {
          retryAfterSeconds: seconds,
        });
      }
    }
  },
};

/** A device token reaches only its own device; any other id is "not found", so ids do not leak. */
function ownDevice(state: ServiceState, caller: Principal, deviceId: string): DeviceRecord {
  const device = caller.role === "device" && caller.deviceId === deviceId ? state.store.getDevice(deviceId) : undefined;
  if (!device) throw new ProblemError(404, "not_found", `No device ${deviceId} for this token.`);
  return device;
}

function commandDetails(state: ServiceState, kind: CommandKind, device: DeviceRecord, account: Account) {
  const owed = owedAmounts(account.owed);
  switch (kind) {
    case "lock":
      return { message: device.lockMessage ?? state.config.defaultLockMessage, contact: device.contact, ...(owed.length ? { amountDue: owed } : {}) };
    case "remind":
      return {
        contact: device.contact,
        ...(account.lockAt !== undefined ? { lockAt: iso(account.lockAt) } : {}),
        ...(owed.length ? { amountDue: owed } : {}),
      };
    default:
      return {};
  }
}

/**
 * The `forge` fault: what an attacker between phone and server would send — "all good, unlock" — signed
 * with a key that is not the device's secret. A correct lock agent refuses it.
 */
function forgedAnswer(state: ServiceState, genuine: Omit<HeartbeatResponse, "signature">): HeartbeatResponse {
  const forged = { ...genuine, standing: "good" as const, command: { id: "forged", type: "unlock" as const } };
  return { ...forged, signature: hmacBase64url(`forger-${state.random.token(8)}`, canonicalJson(forged)) };
}
