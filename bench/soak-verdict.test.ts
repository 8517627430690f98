import { describe, expect, it } from "vitest";
import { flatVerdict, type MemorySample } from "./soak-verdict.ts";

const run = (heap: (t: number) => number, rss: (t: number) => number, seconds = 300): MemorySample[] =>
  Array.from({ length: seconds / 5 }, (_, i) => ({ t: (i + 1) * 5, heapMiB: heap((i + 1) * 5), rssMiB: rss((i + 1) * 5) }));

describe("the soak's flat verdict", () => {
  it("says yes when heap and RSS level off, whatever they did in the first half", () => {
    const verdict = flatVerdict(run((t) => (t < 100 ? 20 + t / 10 : 30), (t) => (t < 100 ? 100 + t : 200)));
    expect(verdict).toMatch(/^flat: yes \(\+0\.0 MiB heap after gc, \+0 MiB RSS over the last half/);
  });

  it("says no with the growth when RSS keeps rising (the 101 -> 419 MiB run)", () => {
    const verdict = flatVerdict(run(() => 30, (t) => 101 + t));
    expect(verdict).toMatch(/^flat: no \(\+0\.0 MiB heap after gc, \+140 MiB RSS over the last half/);
  });

  it("says no when the heap after gc grows even though RSS stays under its slack", () => {
    expect(flatVerdict(run((t) => 20 + t / 20, () => 200))).toMatch(/^flat: no \(\+7\.0 MiB heap/);
  });

  it("does not judge a run too short to have a second half", () => {
    expect(flatVerdict(run(() => 30, () => 100, 10))).toMatch(/^flat: unknown/);
  });
});
