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
