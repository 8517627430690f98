import { describe, expect, it } from "vitest";
import { erroredRun, failingRun, offlineTail, passingRun } from "./fixtures.ts";
import { pretty } from "./pretty.ts";

const ESCAPE = /\u001b/;

describe("pretty reporter", () => {
  it("without colour holds no escape code at all", () => {
    expect(pretty([passingRun(), failingRun()], {})).not.toMatch(ESCAPE);
    expect(pretty([passingRun(), failingRun()], { color: false, verbose: true })).not.toMatch(ESCAPE);
  });

  it("tells the story at simulated local times, step by step", () => {
    const text = pretty([passingRun()], {});
    expect(text).toContain("Missed payment: locked until the sync lands");
    expect(text).toMatch(/^Fri 6 Mar 18:00 +▶ Step 1: Alice misses her March installment/m);
    expect(text).toContain("lender.default account=alice amount=49.99 EUR dueDate=2026-03-01 → account alice is now default; phones lock at their next heartbeat");
    expect(text).toMatch(/^Fri 6 Mar 21:07 +The lock service tells alice-phone to lock\.$/m);
    expect(text).toContain("alice-phone locks (reason: overdue).");
    expect(text).toMatch(/^Mon 9 Mar 10:30 +The payment reaches the lock service\.$/m);
    expect(text).toContain("alice-phone unlocks.");
  });

  it("folds routine heartbeats into one line instead of hundreds", () => {
    const text = pretty([passingRun()], {});
    expect(text).toMatch(/^ +· 185 routine heartbeats$/m);
    expect(text).not.toContain("sends a heartbeat");
    expect(text.split("\n").length).toBeLessThan(50);
  });

  it("marks expectations with ✓ and ✗, and shows what a failed one expected, found, and what happened just before", () => {
    const text = pretty([failingRun()], {});
    expect(text).toContain("✓ alice-phone is locked");
    expect(text).toContain("✗ alice-phone is active");
    expect(text).toContain("expected: active");
    expect(text).toContain("found:    locked");
    expect(text).toContain("recent events:");
    expect(text).toContain("#135 Sat 7 Mar 12:00 owner.paid: The owner of alice-phone pays 49.99 EUR.");
  });

  it("tells a sentence repeated back to back once, with how often and when the last one was", () => {
    const text = pretty([offlineTail()], {});
    expect(text).toMatch(/^Mon 9 Mar \d\d:\d\d +alice-phone cannot reach the lock service: offline\. \(×\d+, the last Wed 11 Mar \d\d:\d\d\)$/m);
    expect(text.match(/cannot reach the lock service/g)).toHaveLength(1);
  });

  it("says when an action itself failed", () => {
    expect(pretty([erroredRun()], {})).toContain("✗ the action failed: 409 standing_not_good");
  });

  it("ends with one summary line over every scenario", () => {
    const lines = pretty([passingRun(), failingRun()], {}).trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^2 scenarios, 1 passed, 1 failed; 9 expectations; 6\.8 simulated days in \d+ ms$/);
  });

  it("colours passes green, failures red and titles bold when asked", () => {
    const text = pretty([failingRun()], { color: true });
    expect(text).toContain("\u001b[32m✓ alice-phone is locked\u001b[39m");
    expect(text).toContain("\u001b[31m✗ alice-phone is active\u001b[39m");
    expect(text).toContain("\u001b[1mPaying unlocks the phone at once (it does not)\u001b[22m");
  });

  it("in verbose mode tells every event, routine ones included", () => {
    const run = passingRun();
    const text = pretty([run], { verbose: true });
    expect(text.match(/sends a heartbeat/g)).toHaveLength(run.stats.heartbeats);
    expect(text).not.toContain("routine heartbeats");
  });

  it("shows control characters in scenario text instead of sending them to the terminal", () => {
    const run = passingRun();
    const text = pretty([{ ...run, steps: run.steps.map((step) => ({ ...step, say: "clear \u001b[2J screen" })) }], {});
    expect(text).not.toMatch(ESCAPE);
    expect(text).toContain("clear \\u001B[2J screen");
  });
});
