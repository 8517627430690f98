import type { Command, HeartbeatRequest } from "../protocol/messages/device.ts";
import type { Account, DeviceRecord, IssuedCommand } from "./model.ts";

/**
 * Which command a heartbeat answers with: pure, from the account's standing, what the device reports and
 * what it was told before. The server says what the phone should be; the phone reports what it is; the
 * command is the difference. A command keeps its id until the device acknowledges it, so a lost answer
 * is repeated, not duplicated.
 */
export type Target = "active" | "reminding" | "locked" | "released";

export function targetState(account: Account, device: DeviceRecord): Target {
  switch (account.standing) {
    case "paid_off":
      return "released";
    case "default":
      // A valid unlock code covers the defaults known when it was redeemed: a stale standing does not relock.
      return device.unlockedThroughEpoch !== undefined && device.unlockedThroughEpoch >= account.defaultEpoch ? "active" : "locked";
    case "overdue":
      return device.unlockedThroughEpoch !== undefined && device.unlockedThroughEpoch >= account.defaultEpoch ? "active" : "reminding";
    case "good":
      return "active";
  }
}

export type CommandKind = Command["type"];

/** The command that moves the reported state to the target, or `none` when it is already there. */
export function commandFor(target: Target, reported: Pick<HeartbeatRequest, "state" | "lockReason">): CommandKind {
  const { state, lockReason } = reported;
  if (state === "released" || state === "unmanaged") return "none";
  // A tamper lock is the phone's own verdict; only a support code (online or offline) lifts it.
  if (state === "locked" && lockReason === "tamper" && target !== "released") return "none";
  switch (target) {
    case "released":
      return "release";
    case "locked":
      return state === "locked" && lockReason === "overdue" ? "none" : "lock";
    case "reminding":
      return state === "reminding" ? "none" : "remind";
    case "active":
      return state === "active" ? "none" : "unlock";
  }
}

/**
 * Keeps the id of an unacknowledged command of the same type, otherwise issues a new one.
 * Returns the device's next command record (undefined for `none`) and the id to send.
 */
export function issueCommand(
  device: DeviceRecord,
  kind: CommandKind,
  lastCommandId: string | undefined,
): { command: IssuedCommand | undefined; commandCount: number; id: string } {
  const acknowledged = device.command !== undefined && (device.command.acknowledged || lastCommandId === device.command.id);
  if (kind === "none") {
    const kept = device.command ? { ...device.command, acknowledged } : undefined;
    return { command: kept, commandCount: device.commandCount, id: "none" };
  }
  if (device.command && device.command.type === kind && !acknowledged) {
    return { command: device.command, commandCount: device.commandCount, id: device.command.id };
  }
  const commandCount = device.commandCount + 1;
  const id = `${device.deviceId}.c${commandCount}`;
  return { command: { id, type: kind, acknowledged: false }, commandCount, id };
}
