import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../core/journal.ts";
import { World } from "../scenarios/world.ts";
import type { TransportKind } from "../scenarios/world-transport.ts";

/**
 * One seeded story touching every actor: two phones on two accounts, a grace period, a lock, a payment
 * whose sync fails until refreshed, wrong and right unlock codes, a reboot, a factory reset, a phone
 * offline long enough to lock itself, faults, and a pay-off.
 */
async function playStory(transport: TransportKind, seed: number): Promise<JournalEvent[]> {
  const world = await World.create({ seed, transport, timeZone: "Europe/Berlin", start: "2026-03-02T08:00", holidays: ["2026-03-09"] });
  try {
    const alice = await world.addDevice({ accountId: "acct-alice", model: "Pixel 9a" });
    const bob = await world.addDevice({ accountId: "acct-bob", lenderId: "lender-b", contact: { email: "care@lender-b.example" } });
    const lender = world.lender();
    await world.runFor("PT2H");

    await lender.call("reportDefault", {
      params: { accountId: "acct-alice" },
      body: { reportId: "r-1", amountDue: { value: "120.50", currency: "EUR" }, dueDate: "2026-03-01", gracePeriod: "P2D" },
    });
    await world.lender("lender-b").call("reportDefault", {
      params: { accountId: "acct-bob" },
      body: { reportId: "r-9", amountDue: { value: 30, currency: "EUR" }, dueDate: "2026-03-01" },
    });
    await world.runUntil("2026-03-05T12:00");
    await world.facilitator.call("addFault", { body: { kind: "sync_failure", target: "acct-alice" } });
    await lender.call("recordPayment", { params: { accountId: "acct-alice" }, body: { paymentId: "p-1", amount: { value: 120.5, currency: "EUR" } } });
    await alice.enterCode("12345678");
    await world.runUntil("2026-03-10T12:00");
    await world.facilitator.call("clearFaults");
    await world.support.call("refresh", { params: { deviceId: alice.deviceId ?? "" } });
    await bob.reboot();
    await world.runFor("PT2H");

    const { code } = await world.support.call("issueUnlockCode", { params: { deviceId: alice.deviceId ?? "" } });
    await world.facilitator.call("addFault", { body: { kind: "outage", target: bob.deviceId ?? "", until: "2026-03-11T00:00:00Z" } });
    await alice.factoryReset();
    await world.runFor("PT1H");
    await alice.enterCode(code);
    await bob.setOnline(false);
    await world.runFor("P31D");
    await bob.setOnline(true);
    await world.facilitator.call("addFault", { body: { kind: "forge", target: "acct-bob" } });
    await world.runFor("PT1H");
    await world.facilitator.call("clearFaults");
    await world.lender("lender-b").call("completeLoan", { params: { accountId: "acct-bob" } });
    await world.runFor("P2D");
    return world.events();
  } finally {
    await world.close();
  }
}

describe("one seeded story, every transport", () => {
  // About 3,000 events; measured here: direct ~0.3 s, in-process ~1.1 s, undici ~1.9 s, fetch ~2.3 s.
  it("gives a byte-identical journal through direct calls, the in-process app, undici over loopback and global fetch", { timeout: 60_000 }, async () => {
    const direct = JSON.stringify(await playStory("direct", 11));
    for (const transport of ["in-process", "http", "fetch"] as const) {
      expect(JSON.stringify(await playStory(transport, 11)), transport).toBe(direct);
    }
    // The story really did go everywhere it claims to.
    const types = new Set((JSON.parse(direct) as JournalEvent[]).map((e) => e.type));
    for (const type of [
      "standing.changed",
      "sync.failed",
      "sync.completed",
      "unlock_attempt.answered",
      "device.factory_reset",
      "device.rebooted",
      "fault.applied",
      "device.response_rejected",
      "device.heartbeat_failed",
      "device.state_changed",
      "loan.completed",
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it("is identical run after run with the same seed, and differs with another seed", async () => {
    const first = JSON.stringify(await playStory("direct", 5));
    expect(JSON.stringify(await playStory("direct", 5))).toBe(first);
    expect(JSON.stringify(await playStory("direct", 6))).not.toBe(first);
  });
});
