import { describe, expect, it } from "vitest";
import { planFromYaml } from "../format/load.ts";
import { rejection } from "../format/rejection.ts";
import { runScenario } from "../run-scenario.ts";

const story = (zone: string) => `title: Two lenders, two calendars
summary: A payment late on a Friday (UTC) is Saturday morning in Auckland.
objectives: [a lender's own time zone decides its sync's business days]
timeZone: UTC
sync: { delay: { min: PT1H } }
lenders:
  - { id: home }
  - { id: kiwi, timeZone: ${zone} }
accounts:
  - { id: acct-home, lender: home }
  - { id: acct-kiwi, lender: kiwi }
devices:
  - { name: phone-home, account: acct-home }
  - { name: phone-kiwi, account: acct-kiwi }
timeline:
  - at: "2026-03-06T22:00"
    do: lender.payment
    account: acct-home
    amount: 10 EUR
  - do: lender.payment
    account: acct-kiwi
    amount: 10 EUR
`;

describe("a time zone per lender", () => {
  it("counts each lender's sync in its own business days", async () => {
    const result = await runScenario(planFromYaml(story("Pacific/Auckland"), "zones.yaml"));
    const expectedBy = Object.fromEntries(result.journal.filter((event) => event.type === "sync.scheduled").map((event) => [event.data.accountId, event.data.expectedBy]));
    // Friday 22:00 UTC is after hours: Monday 09:00 + 1 h in UTC.
    expect(expectedBy["acct-home"]).toBe("2026-03-09T10:00:00.000Z");
    // ... and Saturday 11:00 in Auckland (UTC+13): Monday 10:00 there, Sunday 21:00 UTC.
    expect(expectedBy["acct-kiwi"]).toBe("2026-03-08T21:00:00.000Z");
  });

  it("rejects an unknown lender time zone at its line", () => {
    const error = rejection(() => planFromYaml(story("Pacific/Aukland"), "zones.yaml"));
    expect(error.message).toMatch(/^zones\.yaml:8:\d+: lenders\[1\]\.timeZone: /);
  });
});
