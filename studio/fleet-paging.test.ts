import { afterEach, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import type { StudioMessage } from "./hub.ts";
import { StudioHub, WELCOME_EVENTS } from "./hub.ts";

let hub: StudioHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const bytes = (messages: readonly StudioMessage[]) => messages.reduce((sum, message) => sum + Buffer.byteLength(message.data), 0);

describe("the studio's timeline on a fleet stage", () => {
  it("welcomes a page with the latest events and pages back through every kept one, over the fleet journal's gaps", async () => {
    hub = await StudioHub.open({ wall: new ManualWall(0) });
    await hub.stage.load("thousand-phones");
    await hub.stage.clock({ op: "jump", by: "PT2H" });
    const journal = hub.stage.current.run.world.journal;
    const kept = journal.after(0).map((event) => event.seq);
    // Routine heartbeats were folded: the kept seqs have gaps wider than a page.
    expect(journal.lastSeq).toBeGreaterThan(kept.length);
    expect(kept.length).toBeGreaterThan(WELCOME_EVENTS);

    const welcome = hub.welcome();
    const events = welcome.filter((message) => message.event === "event").map((message) => (JSON.parse(message.data) as { seq: number }).seq);
    expect(events).toEqual(kept.slice(-WELCOME_EVENTS));
    expect(bytes(welcome)).toBeLessThan(1024 * 1024);

    const seen: number[] = [];
    let before = events[0] ?? 1;
    for (;;) {
      const older = hub.earlier(before, 500);
      if (older.length === 0) break;
      // Full pages until the oldest kept event: a page never comes back short while older events are kept.
      expect(older.length === 500 || older[0]?.seq === kept[0]).toBe(true);
      seen.unshift(...older.map((entry) => entry.seq));
      before = older[0]?.seq ?? 1;
    }
    expect([...seen, ...events]).toEqual(kept);
  }, 120_000);
});
