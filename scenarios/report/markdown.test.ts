import { describe, expect, it } from "vitest";
import { failingRun, passingRun } from "./fixtures.ts";
import { markdown } from "./markdown.ts";

describe("markdown reporter", () => {
  it("opens with the title, the summary and the learning objectives as a list", () => {
    const text = markdown([passingRun()], {});
    expect(text.startsWith("# Missed payment: locked until the sync lands\n")).toBe(true);
    expect(text).toContain("## Learning objectives\n\n- A missed installment locks the phone at its next heartbeat, not at once.\n");
    expect(text).toContain("- Paying does not unlock at once: the payment must sync, and the sync runs in business hours.");
  });

  it("tabulates the steps with their simulated time, narration, action and outcome", () => {
    const text = markdown([passingRun()], {});
    expect(text).toContain("| Simulated time | Narration | Action | Outcome |");
    expect(text).toContain(
      "| Sat 7 Mar 12:00 | Alice pays from the payment app on Saturday. | `owner.pay device=alice-phone amount=49.99 EUR` | alice-phone's owner paid: payment payment-1 recorded on account alice; sync expected by 2026-03-09 10:30 |",
    );
  });

  it("marks expectations ✅ and ❌, with what the failed one expected and found", () => {
    const text = markdown([failingRun()], {});
    expect(text).toContain("- ✅ alice-phone is locked (step 2, Sat 7 Mar 10:00)");
    expect(text).toContain("- ❌ alice-phone is active (step 3, Sat 7 Mar 12:00): expected `active`, found `locked`");
  });

  it("narrates the notable events and folds the routine ones", () => {
    const text = markdown([passingRun()], {});
    expect(text).toContain("- **Fri 6 Mar 21:07** The lock service tells alice-phone to lock.");
    expect(text).toContain("- **Mon 9 Mar 10:30** The payment reaches the lock service.");
    expect(text).toContain("- _· 185 routine heartbeats_");
  });

  it("keeps a table intact and markup inert when scenario text holds pipes and HTML", () => {
    const run = passingRun();
    const text = markdown([{ ...run, steps: run.steps.map((step) => ({ ...step, say: "a | b <script>" })) }], {});
    const row = text.split("\n").find((line) => line.startsWith("| Fri 6 Mar 18:00"));
    expect(row).toContain("a \\| b \\<script\\>");
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(6);
  });
});
