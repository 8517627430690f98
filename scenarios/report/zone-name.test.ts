import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "../../core/calendar.ts";
import { runScenario } from "../run-scenario.ts";
import { junit } from "./junit.ts";
import { pretty } from "./pretty.ts";

describe("a time zone is shown as the scenario spells it", () => {
  it("keeps Asia/Kolkata (Intl's canonical name is the old Asia/Calcutta) in the result and every reporter", async () => {
    expect(new BusinessCalendar({ timeZone: "Asia/Kolkata" }).timeZone).toBe("Asia/Kolkata");
    const result = await runScenario({
      title: "Kolkata",
      summary: "One phone in India.",
      objectives: ["zone names"],
      timeZone: "Asia/Kolkata",
      devices: [{ name: "phone", account: "acct" }],
      timeline: [{ after: "PT1H", expect: { device: "phone", state: "active" } }],
    });
    expect(result.timeZone).toBe("Asia/Kolkata");
    expect(pretty([result], {})).toContain("Asia/Kolkata");
    expect(junit([result], {})).toContain('value="Asia/Kolkata"');
    expect(`${pretty([result], {})}${junit([result], {})}`).not.toContain("Calcutta");
  });
});
