import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { World } from "../world.ts";
import { uncatalogued } from "./drift.ts";
import { eventTypes } from "./events.ts";

describe("the event catalogue", () => {
  it("lists exactly the types of the README's Events table", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("\n## Events"), readme.indexOf("\n## ", readme.indexOf("\n## Events") + 5));
    const rows = section.split("\n").filter((line) => line.startsWith("| `"));
    const documented = new Set(rows.flatMap((row) => [...(row.split("|")[2] ?? "").matchAll(/`([a-z_.]+)`/g)].map((match) => match[1] ?? "")));
    expect([...documented].sort()).toEqual([...eventTypes].sort());
  });

  it("covers what the facilitator API writes (clock, faults, reset), beyond the library's runs", async () => {
    const world = await World.create({ seed: 1, start: "2026-03-02T08:00:00.000Z", transport: "in-process" });
    try {
      const facilitator = world.facilitator;
      await facilitator.call("patchClock", { body: { advanceBy: "PT1H" } });
      await facilitator.call("addFault", { body: { kind: "outage" } });
      await facilitator.call("clearFaults");
      await facilitator.call("reset", { body: {} });
      expect(world.journal.after(0).length).toBeGreaterThan(0);
      expect(uncatalogued(world.journal.after(0))).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
