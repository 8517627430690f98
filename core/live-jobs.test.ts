import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiveJobs } from "./live-jobs.ts";

describe("LiveJobs", () => {
  it("answers get, has, take and size as a Map would, for any mix of adds (mostly ascending ids) and removals", () => {
    type Op = { kind: "add"; id: number } | { kind: "next" } | { kind: "take"; id: number } | { kind: "get"; id: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.constant({ kind: "next" as const }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("add" as const), id: fc.integer({ min: 1, max: 400 }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("take" as const), id: fc.integer({ min: 1, max: 400 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("get" as const), id: fc.integer({ min: 1, max: 400 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const live = new LiveJobs<string>();
        const model = new Map<number, string>();
        let next = 1;
        for (const o of ops) {
          if (o.kind === "next" || o.kind === "add") {
            const id = o.kind === "next" ? next++ : o.id;
            if (model.has(id)) {
              expect(() => live.set(id, `job ${id}`)).toThrow(/already scheduled/);
              continue;
            }
            live.set(id, `job ${id}`);
            model.set(id, `job ${id}`);
            next = Math.max(next, id + 1);
          } else if (o.kind === "take") {
            expect(live.take(o.id)).toBe(model.get(o.id));
            model.delete(o.id);
          } else {
            expect(live.get(o.id)).toBe(model.get(o.id));
            expect(live.has(o.id)).toBe(model.has(o.id));
          }
          expect(live.size).toBe(model.size);
        }
        for (let id = 1; id <= Math.max(400, next); id++) expect(live.get(id)).toBe(model.get(id));
      }),
    );
  });

  it("keeps finding every live job after many removals have closed up the holes", () => {
    const live = new LiveJobs<number>();
    for (let id = 1; id <= 10_000; id++) live.set(id, id);
    for (let id = 1; id <= 10_000; id++) if (id % 7 !== 0) expect(live.delete(id)).toBe(true);
    expect(live.size).toBe(Math.floor(10_000 / 7));
    for (let id = 1; id <= 10_000; id++) expect(live.get(id)).toBe(id % 7 === 0 ? id : undefined);
    expect(live.delete(3)).toBe(false);
  });
});
