import { describe, expect, it } from "vitest";
import { countOf, FleetJournal } from "./fleet-journal.ts";

const START = Date.parse("2026-03-02T09:00:00.000Z");

function journalAt(options?: ConstructorParameters<typeof FleetJournal>[1]) {
  let now = START;
  const journal = new FleetJournal(() => now, options);
  return { journal, tick: (ms: number) => (now += ms) };
}

describe("FleetJournal", () => {
  it("folds routine heartbeats into counts and a per-device summary, keeps everything else with a full run's seqs", () => {
    const { journal, tick } = journalAt({ recent: 2 });
    journal.append("lender", "device.registered", { deviceId: "dev-1", imei: "350000000000014" });
    journal.append("device", "heartbeat", { deviceId: "dev-1", state: "active" });
    journal.append("lock-service", "heartbeat.answered", { deviceId: "dev-1", command: "none" });
    tick(6 * 3600_000);
    journal.append("device", "heartbeat", { deviceId: "dev-1", state: "locked" });
    journal.append("lock-service", "heartbeat.answered", { deviceId: "dev-1", command: "lock" });

    expect(journal.after(0).map((event) => [event.seq, event.type])).toEqual([
      [1, "device.registered"],
      [5, "heartbeat.answered"],
    ]);
    expect(journal.foldedCount("heartbeat")).toBe(2);
    expect(countOf(journal, "heartbeat.answered")).toBe(2);
    expect(journal.summary("dev-1")).toEqual({ heartbeats: 2, lastHeartbeatAt: START + 6 * 3600_000, lastState: "locked" });
    expect(journal.summary("dev-2")).toBeUndefined();
    expect(journal.recentFolded().map((event) => event.seq)).toEqual([3, 4]);
  });

  it("keeps in full the routine types a run asked for, and summarises many devices", () => {
    const { journal } = journalAt({ keepTypes: ["heartbeat"] });
    for (let i = 0; i < 1000; i++) journal.append("device", "heartbeat", { deviceId: `dev-${i % 300}`, state: "active" });
    expect(journal.after(0)).toHaveLength(1000);
    expect(journal.summarisedDevices).toBe(0);

    const folding = journalAt().journal;
    for (let i = 0; i < 1000; i++) folding.append("device", "heartbeat", { deviceId: `dev-${i % 300}`, state: "active" });
    expect(folding.summarisedDevices).toBe(300);
    expect(folding.summary("dev-0")?.heartbeats).toBe(4);
    expect(folding.summary("dev-299")?.heartbeats).toBe(3);
  });
});
