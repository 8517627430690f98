import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Actor, EventData, JournalEvent } from "../../core/journal.ts";
import { DEVICE_ID, IMEI, passingRun } from "./fixtures.ts";
import { isRoutine, nameBook, narrate } from "./narrate.ts";

const names = nameBook(passingRun());
const event = (actor: Actor, type: string, data: EventData = {}): JournalEvent => ({ seq: 1, at: "2026-03-06T17:00:00.000Z", actor, type, data });
const phone = { deviceId: DEVICE_ID, imei: IMEI };

/** Every event type the README's catalogue lists, read from the table itself so a new type cannot be forgotten. */
function catalogue(): { actor: Actor; type: string }[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Events"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => {
      const [, actorCell = "", typesCell = ""] = line.split("|");
      const actor = /`([^`]+)`/.exec(actorCell)?.[1] as Actor;
      return [...typesCell.matchAll(/`([^`]+)`/g)].map((match) => ({ actor, type: match[1] ?? "" }));
    });
}

describe("narrate", () => {
  it("tells the story's key moments in the words a workshop hears", () => {
    expect(narrate(event("lender", "default.reported", { accountId: "alice", amountDue: { value: 49.99, currency: "EUR" }, gracePeriod: "P3D" }), names)).toBe(
      "The lender reports a missed installment of 49.99 EUR on account alice (grace P3D).",
    );
    expect(narrate(event("lock-service", "command.issued", { deviceId: DEVICE_ID, commandId: "c1", type: "lock" }), names)).toBe(
      "The lock service tells alice-phone to lock.",
    );
    expect(narrate(event("device", "device.state_changed", { ...phone, from: "active", to: "locked", lockReason: "overdue" }), names)).toBe(
      "alice-phone locks (reason: overdue).",
    );
    expect(narrate(event("sync", "sync.completed", { accountId: "alice", paymentId: "p-1" }), names)).toBe("The payment reaches the lock service.");
    expect(narrate(event("sync", "sync.failed", { accountId: "alice", error: "token update failed" }), names)).toBe("The sync fails: token update failed.");
  });

  it("names phones by their scenario name, whether the event carries the deviceId or only the IMEI", () => {
    expect(narrate(event("device", "checkin", { imei: IMEI }), names)).toBe("alice-phone checks in with the lock service.");
    expect(narrate(event("device", "heartbeat", { deviceId: DEVICE_ID, seq: 3, state: "locked", lockReason: "overdue" }), names)).toBe(
      "alice-phone sends a heartbeat (locked, overdue).",
    );
  });

  it("falls back to the id for a phone the scenario did not name", () => {
    expect(narrate(event("device", "device.enrolled", { deviceId: "dev-other", imei: "356938035643809" }), names)).toMatch(/^Device dev-other is enrolled/);
    expect(narrate(event("device", "checkin", { imei: "356938035643809" }), names)).toBe("The phone with IMEI 356938035643809 checks in with the lock service.");
    expect(narrate(event("device", "device.offline", {}), names)).toBe("The phone loses its network.");
  });

  it("tells times in the scenario's zone", () => {
    expect(narrate(event("sync", "sync.scheduled", { accountId: "alice", expectedBy: "2026-03-09T09:30:00.000Z" }), names)).toBe(
      "The payment on account alice is on its way: the sync is due Mon 9 Mar 10:30.",
    );
  });

  it("has its own sentence for every event type in the README's catalogue", () => {
    const types = catalogue();
    expect(types.length).toBeGreaterThan(40);
    for (const { actor, type } of types) {
      const sentence = narrate(event(actor, type, { ...phone, accountId: "alice" }), names);
      expect(sentence, type).not.toBe(`${actor}: ${type}`);
      expect(sentence, type).toMatch(/[.!]$/);
    }
  });

  it("tells the scenario runner's own owner events", () => {
    expect(narrate(event("owner", "owner.paid", { ...phone, amount: { value: 120, currency: "EUR" } }), names)).toBe("The owner of alice-phone pays 120 EUR.");
    expect(narrate(event("owner", "owner.sold", { ...phone, to: "Bob" }), names)).toBe("The owner sells alice-phone to Bob.");
  });

  it("gives an unknown event a plain generic sentence", () => {
    expect(narrate(event("facilitator", "sim.teleported"), names)).toBe("facilitator: sim.teleported");
  });

  it("still says something when a field is missing", () => {
    expect(narrate(event("lender", "default.reported", { accountId: "alice" }), names)).toBe(
      "The lender reports a missed installment of an unknown amount on account alice (no grace period).",
    );
  });
});

describe("isRoutine", () => {
  it("calls the noise of a normal run routine", () => {
    expect(isRoutine(event("device", "heartbeat", { deviceId: DEVICE_ID, state: "active" }))).toBe(true);
    expect(isRoutine(event("lock-service", "heartbeat.answered", { deviceId: DEVICE_ID, command: "none" }))).toBe(true);
    expect(isRoutine(event("device", "checkin", { imei: IMEI }))).toBe(true);
    expect(isRoutine(event("lender", "account.viewed", { accountId: "alice" }))).toBe(true);
    expect(isRoutine(event("support", "device.looked_up", phone))).toBe(true);
  });

  it("keeps what moves the story", () => {
    expect(isRoutine(event("lock-service", "heartbeat.answered", { deviceId: DEVICE_ID, command: "lock" }))).toBe(false);
    expect(isRoutine(event("lock-service", "command.issued", { deviceId: DEVICE_ID, type: "lock" }))).toBe(false);
    expect(isRoutine(event("device", "device.state_changed", { ...phone, to: "locked" }))).toBe(false);
    expect(isRoutine(event("lock-service", "checkin.answered", { imei: IMEI, status: "stop" }))).toBe(false);
    expect(isRoutine(event("sync", "sync.completed"))).toBe(false);
  });
});
