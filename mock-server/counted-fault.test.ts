import { describe, expect, it } from "vitest";
import { World } from "../scenarios/world.ts";

/** The "next sync fails" fault: a sync_failure with `times` breaks that many sync attempts, however late, then is spent. */
describe("a counted sync_failure fault", () => {
  it("is taken with times, journaled in fault.added and listed; times 0 is refused (the workshop test shows the late sync failing)", async () => {
    const world = await World.create({ seed: 4, start: "2026-03-06T16:00:00Z", timeZone: "Europe/Berlin", lenders: ["lender-a"], transport: "in-process" });
    try {
      const added = await world.facilitator.call("addFault", { body: { kind: "sync_failure", times: 1 } });
      expect(added).toMatchObject({ kind: "sync_failure", times: 1 });
      expect(world.journal.after(0).find((event) => event.type === "fault.added")?.data).toMatchObject({ times: 1 });
      expect((await world.facilitator.call("listFaults", {})).faults).toHaveLength(1);
      expect(await world.facilitator.call("addFault", { body: { kind: "sync_failure", times: 0 } }).catch((error: unknown) => error)).toBeInstanceOf(Error);
    } finally {
      await world.close();
    }
  });
});

/** `times` counts every kind down, not only sync failures: a fault with times 2 applies twice, then is gone. */
describe("a counted fault of any kind", () => {
  it.each(["outage", "drop", "latency", "forge"] as const)("%s with times 2 applies to two calls, is journaled with the times left, and leaves the list", async (kind) => {
    const world = await World.create({ seed: 4, start: "2026-03-02T08:00:00Z", lenders: ["lender-a"], transport: "direct" });
    try {
      const phone = await world.addDevice({ accountId: "acct-1" });
      await world.runFor("PT1H");
      const mark = world.journal.lastSeq;
      await world.facilitator.call("addFault", { body: { kind, target: phone.deviceId ?? "", times: 2, ...(kind === "latency" ? { delay: "PT0S" } : {}) } });
      await world.runFor("P2D");
      const applied = world.journal.after(mark).filter((event) => event.type === "fault.applied");
      expect(applied.map((event) => event.data["faultTimesLeft"])).toEqual([1, 0]);
      expect((await world.facilitator.call("listFaults", {})).faults).toEqual([]);
    } finally {
      await world.close();
    }
  });

  it("refuses a latency delay beyond PT30S, and a delay on another kind, with 400 and no fault added", async () => {
    const world = await World.create({ seed: 4, lenders: ["lender-a"], transport: "in-process" });
    try {
      for (const body of [{ kind: "latency", delay: "PT31S" }, { kind: "outage", delay: "PT1S" }] as const) {
        const refused = (await world.facilitator.call("addFault", { body }).catch((error: unknown) => error)) as { status?: number };
        expect(refused.status).toBe(400);
      }
      expect((await world.facilitator.call("listFaults", {})).faults).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
