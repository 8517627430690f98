import { describe, expect, it } from "vitest";
import { offlineTail, passingRun } from "./fixtures.ts";
import { mermaid, text } from "./mermaid.ts";

/** The statement shapes the reporter writes; anything else would be a line Mermaid may not parse. */
const STATEMENT = /^(sequenceDiagram|  title [^#;\n]+|  participant \w+ as [^#;\n]+|  Note over \w+(,\w+)?: [^#;\n]*(#\w+;[^#;\n]*)*|  \w+(->>|-->>|-x|--x)\w+: [^#;\n]*(#\w+;[^#;\n]*)*)$/;

describe("mermaid reporter", () => {
  it("draws a sequence diagram of the run's messages", () => {
    const diagram = mermaid([passingRun()], {});
    expect(diagram.startsWith("sequenceDiagram\n")).toBe(true);
    expect(diagram).toContain("lender->>lock: missed installment 49.99 EUR (no grace)");
    expect(diagram).toContain("lock-->>phone1: lock (standing default)");
    expect(diagram).toContain("sync->>lock: payment synced");
    expect(diagram).toContain("Note over phone1: locked (overdue)");
  });

  it("has one lane per phone, named after it, and only the parties that take part", () => {
    const diagram = mermaid([passingRun()], {});
    expect(diagram).toContain("participant phone1 as alice-phone");
    expect(diagram).toContain("participant lock as Lock service");
    expect(diagram).toContain("participant lender as Lender");
    expect(diagram).not.toContain("Support");
    expect(diagram).not.toContain("Facilitator");
  });

  it("folds quiet heartbeats into one arrow each, so a 30-day story stays a few dozen lines", () => {
    const month = passingRun("2026-04-05T10:00");
    const diagram = mermaid([month], {});
    expect(diagram).toContain("phone1->>lock: heartbeat ×185 (none)");
    expect(month.stats.heartbeats).toBeGreaterThan(300);
    expect(diagram.trimEnd().split("\n").length).toBeLessThan(40);
  });

  it("draws a message repeated back to back once, with how often", () => {
    const diagram = mermaid([offlineTail()], {});
    expect(diagram).toMatch(/phone1-xlock: heartbeat fails: offline ×\d+/);
    expect(diagram.match(/heartbeat fails/g)).toHaveLength(1);
  });

  it("shows each step's say line as a note across the diagram", () => {
    expect(mermaid([passingRun()], {})).toContain("Note over phone1,sync: 2. Saturday morning: the phone is locked.");
  });

  it("writes only statements Mermaid parses, with ; and # as entity codes", () => {
    const run = passingRun();
    const diagram = mermaid([{ ...run, steps: run.steps.map((step) => ({ ...step, say: 'pay #1; then "wait"\nfor <sync> 100%' })) }], {});
    for (const line of diagram.trimEnd().split("\n")) expect(line).toMatch(STATEMENT);
    expect(diagram).toContain("pay #35;1#59; then #quot;wait#quot; for #lt;sync#gt; 100#37;");
  });

  it("in verbose mode draws every heartbeat", () => {
    const run = passingRun();
    const diagram = mermaid([run], { verbose: true });
    expect(diagram.match(/->>lock: heartbeat \(/g)).toHaveLength(run.stats.heartbeats);
  });

  it("escapes text for Mermaid", () => {
    expect(text("a;b#c")).toBe("a#59;b#35;c");
  });
});
