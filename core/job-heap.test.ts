import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JobHeap } from "./job-heap.ts";

const noop = (): void => {};

describe("JobHeap", () => {
  it("pops jobs earliest first and, at the same time, in the order they were pushed", () => {
    const heap = new JobHeap();
    heap.push({ id: 1, at: 30, label: "c", job: noop });
    heap.push({ id: 2, at: 10, label: "a", job: noop });
    heap.push({ id: 3, at: 10, label: "b", job: noop });
    expect([heap.pop()?.label, heap.pop()?.label, heap.pop()?.label, heap.pop()]).toEqual(["a", "b", "c", undefined]);
  });

  it("never returns a removed job and counts only live ones", () => {
    const heap = new JobHeap();
    heap.push({ id: 1, at: 10, label: "a", job: noop });
    heap.push({ id: 2, at: 20, label: "b", job: noop });
    expect(heap.remove(1)).toBe(true);
    expect(heap.remove(1)).toBe(false);
    expect(heap.size).toBe(1);
    expect(heap.peek()?.label).toBe("b");
  });

  it("gives a sorted snapshot without disturbing the heap", () => {
    const heap = new JobHeap();
    for (const [id, at] of [[1, 5], [2, 1], [3, 3]] as const) heap.push({ id, at, label: String(id), job: noop });
    expect(heap.sorted().map((j) => j.id)).toEqual([2, 3, 1]);
    expect(heap.size).toBe(3);
  });

  it("refuses the same id twice", () => {
    const heap = new JobHeap();
    heap.push({ id: 1, at: 1, label: "a", job: noop });
    expect(() => heap.push({ id: 1, at: 2, label: "a", job: noop })).toThrow(/already scheduled/);
  });

  it("pops in ascending (at, seq) order for any mix of pushes, removals and pops", () => {
    type Op = { kind: "push"; at: number } | { kind: "remove"; pick: number } | { kind: "pop" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant("push" as const), at: fc.integer({ min: 0, max: 50 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("pop" as const) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new JobHeap();
        // A plain model: the live jobs with their push order.
        const model = new Map<number, { at: number; seq: number }>();
        let nextId = 1;
        let pushes = 0;
        for (const o of ops) {
          if (o.kind === "push") {
            heap.push({ id: nextId, at: o.at, label: "", job: noop });
            model.set(nextId++, { at: o.at, seq: ++pushes });
          } else if (o.kind === "remove" && nextId > 1) {
            const id = (o.pick % (nextId - 1)) + 1;
            expect(heap.remove(id)).toBe(model.delete(id));
          } else if (o.kind === "pop") {
            const expected = [...model.entries()].sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
            const popped = heap.pop();
            expect(popped?.id).toBe(expected?.[0]);
            if (expected) model.delete(expected[0]);
          }
          expect(heap.size).toBe(model.size);
        }
        // Drain: the rest must come out in (at, seq) order.
        let previous: { at: number; seq: number } | undefined;
        for (let job = heap.pop(); job !== undefined; job = heap.pop()) {
          const entry = model.get(job.id);
          expect(entry).toBeDefined();
          if (previous && entry) expect(entry.at > previous.at || (entry.at === previous.at && entry.seq > previous.seq)).toBe(true);
          previous = entry;
          model.delete(job.id);
        }
        expect(model.size).toBe(0);
      }),
    );
  });
});
