import { describe, expect, it } from "vitest";
import { Journal } from "./journal.ts";

const journalOf = (count: number, keep?: number) => {
  const journal = new Journal(() => 0, keep === undefined ? {} : { keep });
  for (let i = 0; i < count; i++) journal.append("device", "heartbeat", { i });
  return journal;
};

describe("the journal's retention and paging", () => {
  it("keeps only the last N events with retention on, while seq keeps counting", () => {
    const journal = journalOf(50_000, 1000);
    expect(journal.lastSeq).toBe(50_000);
    const kept = journal.after(0);
    expect(kept.length).toBeGreaterThanOrEqual(1000);
    expect(kept.length).toBeLessThanOrEqual(2000);
    expect(kept.at(-1)?.seq).toBe(50_000);
    expect(journal.firstSeq).toBe(kept[0]?.seq);
    expect(journal.append("lender", "x").seq).toBe(50_001);
  });

  it("keeps everything without retention (a scenario run's reports need the whole story)", () => {
    expect(journalOf(5000).after(0)).toHaveLength(5000);
  });

  it("pages with a next cursor that a reader passes back as after, and sees each event once", () => {
    const journal = journalOf(2500);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = journal.page(after, 1000);
      seen.push(...page.events.map((event) => event.seq));
      if (page.next === undefined) break;
      after = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(journal.page(2500, 10)).toEqual({ events: [] });
  });

  it("gives the latest N events for a page's welcome", () => {
    expect(journalOf(300).latest(5).map((event) => event.seq)).toEqual([296, 297, 298, 299, 300]);
  });

  it("gives at most N kept events before a seq, oldest first, for the page's \"show earlier\"", () => {
    const seqs = (events: readonly { seq: number }[]) => events.map((event) => event.seq);
    const journal = journalOf(300, 100); // keeps 201..300 at least
    expect(seqs(journal.before(250, 3))).toEqual([247, 248, 249]);
    expect(seqs(journal.before(journal.firstSeq + 2, 10))).toEqual([journal.firstSeq, journal.firstSeq + 1]);
    expect(journal.before(journal.firstSeq, 10)).toEqual([]);
    expect(seqs(journal.before(10_000, 2))).toEqual([299, 300]);
  });
});
