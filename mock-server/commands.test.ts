import { describe, expect, it } from "vitest";
import type { HeartbeatRequest } from "../protocol/messages/device.ts";
import type { Standing } from "../protocol/values.ts";
import { commandFor, issueCommand, targetState, type CommandKind, type Target } from "./commands.ts";
import type { Account, DeviceRecord, IssuedCommand } from "./model.ts";
import { deviceFixture } from "./test-fixtures.ts";
import { newAccount } from "./standing.ts";

/** README "Commands": the server says what the phone should be, the phone reports what it is, the command is the difference. */

function account(standing: Standing, defaultEpoch = 1): Account {
  return { ...newAccount("lender-a", "acct-1"), standing, defaultEpoch };
}

function device(patch: Partial<DeviceRecord> = {}): DeviceRecord {
  return deviceFixture(0, patch);
}

describe("targetState", () => {
  it.each<[Standing, Target]>([
    ["good", "active"],
    ["overdue", "reminding"],
    ["default", "locked"],
    ["paid_off", "released"],
  ])("wants a %s account's phone %s", (standing, target) => {
    expect(targetState(account(standing), device())).toBe(target);
  });

  it.each<[Standing, number | undefined, Target]>([
    ["default", 2, "active"],
    ["default", 3, "active"],
    ["default", 1, "locked"],
    ["default", undefined, "locked"],
    ["overdue", 2, "active"],
    ["overdue", 1, "reminding"],
    ["paid_off", 2, "released"],
    ["good", 1, "active"],
  ])("wants a %s account (epoch 2) whose code covered epoch %s to be %s", (standing, unlockedThroughEpoch, target) => {
    expect(targetState(account(standing, 2), device({ unlockedThroughEpoch }))).toBe(target);
  });
});

describe("commandFor", () => {
  type Reported = Pick<HeartbeatRequest, "state" | "lockReason">;
  const reported: Record<string, Reported> = {
    active: { state: "active" },
    reminding: { state: "reminding" },
    "locked/overdue": { state: "locked", lockReason: "overdue" },
    "locked/offline": { state: "locked", lockReason: "offline" },
    "locked/tamper": { state: "locked", lockReason: "tamper" },
    released: { state: "released" },
    unmanaged: { state: "unmanaged" },
  };
  const columns = Object.keys(reported);
  // Rows: target. Columns: the reported states above, in order.
  const expected: Record<Target, readonly CommandKind[]> = {
    //         active     reminding  overdue    offline    tamper     released  unmanaged
    active: ["none", "unlock", "unlock", "unlock", "none", "none", "none"],
    reminding: ["remind", "none", "remind", "remind", "none", "none", "none"],
    locked: ["lock", "lock", "none", "lock", "none", "none", "none"],
    released: ["release", "release", "release", "release", "release", "none", "none"],
  };
  const table = (Object.entries(expected) as [Target, readonly CommandKind[]][]).flatMap(([target, kinds]) =>
    kinds.map((kind, i): [Target, string, CommandKind] => [target, columns[i] ?? "?", kind]),
  );

  it("covers every target and reported state", () => {
    expect(table).toHaveLength(4 * 7);
  });

  it.each(table)("sends a phone that should be %s and reports %s the command %s", (target, state, kind) => {
    const report = reported[state];
    if (!report) throw new Error(`no reported state ${state}`);
    expect(commandFor(target, report)).toBe(kind);
  });
});

describe("issueCommand", () => {
  const sent = (command: IssuedCommand, commandCount = 1): DeviceRecord => device({ command, commandCount });
  const unackedLock: IssuedCommand = { id: "dev-1.c1", type: "lock", acknowledged: false };

  it("gives a first command a new id", () => {
    const result = issueCommand(device(), "lock", undefined);
    expect(result.id).toBe("dev-1.c1");
    expect(result.commandCount).toBe(1);
    expect(result.command).toEqual({ id: "dev-1.c1", type: "lock", acknowledged: false });
  });

  it("repeats an unacknowledged command under the same id, so a lost answer is not duplicated", () => {
    const result = issueCommand(sent(unackedLock), "lock", undefined);
    expect(result.id).toBe("dev-1.c1");
    expect(result.commandCount).toBe(1);
  });

  it("repeats it too when the phone acknowledges an older command", () => {
    expect(issueCommand(sent(unackedLock), "lock", "dev-1.c0").id).toBe("dev-1.c1");
  });

  it("issues a new id once the phone has acknowledged the command", () => {
    const result = issueCommand(sent(unackedLock), "lock", "dev-1.c1");
    expect(result.id).toBe("dev-1.c2");
    expect(result.commandCount).toBe(2);
  });

  it("issues a new id after an earlier acknowledgement was recorded", () => {
    expect(issueCommand(sent({ ...unackedLock, acknowledged: true }), "lock", undefined).id).toBe("dev-1.c2");
  });

  it("issues a new id when the command type changes, even unacknowledged", () => {
    const result = issueCommand(sent(unackedLock), "unlock", undefined);
    expect(result.id).toBe("dev-1.c2");
    expect(result.command).toEqual({ id: "dev-1.c2", type: "unlock", acknowledged: false });
  });

  it("answers `none` with the id none and keeps the earlier command on record", () => {
    const result = issueCommand(sent(unackedLock), "none", undefined);
    expect(result.id).toBe("none");
    expect(result.commandCount).toBe(1);
    expect(result.command).toEqual(unackedLock);
  });

  it("records the acknowledgement that arrives with a `none` answer", () => {
    const result = issueCommand(sent(unackedLock), "none", "dev-1.c1");
    expect(result.command).toEqual({ ...unackedLock, acknowledged: true });
    expect(issueCommand(device({ command: result.command, commandCount: 1 }), "lock", undefined).id).toBe("dev-1.c2");
  });

  it("answers `none` with no record for a phone that was never sent a command", () => {
    expect(issueCommand(device(), "none", undefined)).toEqual({ command: undefined, commandCount: 0, id: "none" });
  });
});
