import { afterEach, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { studioState } from "./snapshot.ts";
import { Stage } from "./stage.ts";

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

/**
 * Issue 12's reproduction: while a phone was offline, Step stopped at every failed heartbeat retry (~5 h), so
 * 120 presses did not reach the offline lock. Step now passes over the retries and stops at what the room waits
 * for: the offline warning on the phone, then its offline lock.
 */
describe("Step to next event, with a phone offline", () => {
  it("reaches the offline warning and then the offline lock in a handful of presses", { timeout: 30_000 }, async () => {
    stage = await Stage.open({ wall: new ManualWall(0) });
    const amara = () => studioState(stage!.current, 0).devices.find((device) => device.name === "amara-phone");
    await stage.clock({ op: "step" }); // the phones check in
    expect(amara()?.screen.kind).toBe("home");
    await stage.act({ do: "owner.go_offline", device: "amara-phone" });
    const startedAt = stage.current.run.world.clock.now();

    let presses = 0;
    let warned = false;
    while (amara()?.screen.kind !== "locked" && presses < 12) {
      await stage.clock({ op: "step" });
      presses++;
      if (amara()?.screen.notice !== undefined) warned = true;
    }

    expect(amara()?.screen.kind).toBe("locked");
    expect(amara()?.screen.lockReason).toBe("offline");
    expect(warned).toBe(true);
    expect(presses).toBeLessThanOrEqual(6);
    // It took simulated weeks, not one press per retry: the policy's offline lock is far away.
    expect(stage.current.run.world.clock.now() - startedAt).toBeGreaterThan(7 * 86_400_000);
  });
});
