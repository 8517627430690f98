import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactEvents, EventList, type EventStore } from "./event-store.ts";
import type { Actor, JournalEvent, JsonValue } from "./journal.ts";

const actor = fc.constantFrom<Actor>("device", "lock-service", "lender", "owner");
const type = fc.constantFrom("heartbeat.answered", "device.registered", "checkin", "command.issued");
const key = fc.constantFrom("deviceId", "imei", "state", "1", "__proto__", "from", "to", "command");
const value: fc.Arbitrary<JsonValue> = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
/** Data as the journal keeps it: own keys only (JSON.parse makes an own "__proto__" key, as a spread copy would). */
const data = fc.dictionary(key, value, { maxKeys: 5 }).map((record) => JSON.parse(JSON.stringify(record)) as Record<string, JsonValue>);
const event = fc.record({ actor, type, data, at: fc.constantFrom("2026-03-02T09:00:00.000Z", "2026-03-02T09:00:45.000Z") });

type Op = { kind: "push"; event: Omit<JournalEvent, "seq">; gap: number } | { kind: "drop"; count: number } | { kind: "clear" };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("push" as const), event, gap: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("drop" as const), count: fc.integer({ min: -2, max: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);

function readAll(store: EventStore): unknown {
  const seqs = Array.from({ length: store.length }, (_, i) => store.seqAt(i));
  const text = (from: number, to?: number) => JSON.stringify(store.slice(from, to));
  // Bounds read as Array.prototype.slice reads them, odd ones included.
  return { length: store.length, seqs, all: text(0), tail: text(-2), middle: text(1, 3), odd: [text(0.5, 2.7), text(Number.NaN), text(-1.5, Infinity), text(2, -Infinity)] };
}

describe("CompactEvents", () => {
  it("gives back, byte for byte, the events the plain list keeps, through pushes, retention and clears", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const plain = new EventList();
        const compact = new CompactEvents();
        let seq = 0;
        for (const o of ops) {
          if (o.kind === "push") {
            seq += o.gap;
            // In the journal's own field order (Journal.append), which a JSON comparison sees.
            const appended: JournalEvent = { seq, at: o.event.at, actor: o.event.actor, type: o.event.type, data: o.event.data };
            plain.push(appended);
            compact.push(appended);
          } else if (o.kind === "drop") {
            plain.dropOldest(o.count);
            compact.dropOldest(o.count);
          } else {
            plain.clear();
            compact.clear();
          }
          expect(readAll(compact)).toEqual(readAll(plain));
          for (const t of ["checkin", "command.issued", "none"]) expect(compact.countType(t)).toBe(plain.countType(t));
        }
      }),
    );
  });

  it("keeps an own __proto__ data key a key, not the event's prototype", () => {
    const compact = new CompactEvents();
    const data = JSON.parse('{"__proto__":{"polluted":true},"imei":"350000000000014"}') as Record<string, JsonValue>;
    compact.push({ seq: 1, at: "2026-03-02T09:00:00.000Z", actor: "device", type: "checkin", data });
    const [back] = compact.slice(0);
    expect(JSON.stringify(back?.data)).toBe(JSON.stringify(data));
    expect(Object.getPrototypeOf(back?.data)).toBe(Object.prototype);
  });
});
