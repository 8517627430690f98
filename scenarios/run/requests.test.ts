import { describe, expect, it } from "vitest";
import { planFromYaml } from "../format/load.ts";
import type { ScenarioError } from "../format/problems.ts";
import { rejection } from "../format/rejection.ts";
import { runScenario } from "../run-scenario.ts";
import { testKeys } from "../../mock-server/create.ts";

const story = (expect: string) => `title: Requests
summary: One phone defaults, is locked, and is paid.
objectives: [what the phone sent]
devices:
  - { name: phone, account: acct }
  - { name: other, account: acct2 }
timeline:
  - do: lender.default
    account: acct
    amount: 10 EUR
  - after: P1D
    expect:
      ${expect}
`;

const checks = `- request: { call: checkin, device: phone, headers: { Content-Type: application/json, accept: application/json }, body: { model: { matches: "." } }, count: 0 }
      - request: { call: checkin, device: phone, headers: { content-type: application/json }, count: 1 }
      - request: { call: checkin, headers: { authorization: { matches: "." } }, count: 0 }
      - request: { call: heartbeat, device: phone, headers: { authorization: "Bearer <redacted>", content-type: { matches: "^application/json" } }, body: { state: locked, lockReason: overdue, seq: { gte: 2 } } }
      - request: { call: heartbeat, device: other, body: { state: locked }, count: 0 }
      - request: { call: heartbeat, device: phone, since: PT1H, count: { min: 1 } }
      - request: { call: heartbeat, device: phone, headers: { content-type: text/plain } }`;

describe("request: checks on what a phone sent", () => {
  it("match headers and body fields, the same on the direct, in-process and http transports", async () => {
    const plan = planFromYaml(story(checks), "story.yaml");
    const runs = await Promise.all((["direct", "in-process", "http"] as const).map((transport) => runScenario(plan, { transport })));
    const verdicts = runs.map((run) => run.expectations.map(({ description, passed, expected, found }) => ({ description, passed, expected, found })));
    expect(verdicts[0]?.map((verdict) => verdict.passed)).toEqual([true, true, true, true, true, true, false]);
    expect(verdicts[1]).toEqual(verdicts[0]);
    expect(verdicts[2]).toEqual(verdicts[0]);
    expect(verdicts[0]?.[3]?.description).toBe("phone sends a heartbeat request (authorization: Bearer <redacted>, content-type: matching /^application/json/, state locked, lockReason overdue, seq >= 2) by now");
  });

  it("a failing check shows what was sent instead, with the token redacted", async () => {
    const result = await runScenario(planFromYaml(story(`- request: { call: heartbeat, device: phone, headers: { content-type: text/plain } }`), "story.yaml"));
    const [verdict] = result.expectations;
    expect(verdict?.passed).toBe(false);
    expect(verdict?.found).toMatch(/^none; \d+ heartbeat request\(s\), the last with accept: application\/json, authorization: Bearer <redacted>, content-type: application\/json and body \{"seq":/);
    const text = JSON.stringify(result);
    for (const key of [testKeys.admin, testKeys.support, ...Object.values(testKeys.lenders)]) expect(text).not.toContain(`Bearer ${key}`);
    expect(text).not.toMatch(/Bearer (?!<redacted>)[A-Za-z0-9_-]{8,}/);
  });

  it("is not recorded unless a check reads it (a fleet's heartbeats are not kept twice)", async () => {
    const { World } = await import("../world.ts");
    const plain = await World.create({ transport: "direct" });
    await plain.addDevice({ accountId: "a" });
    await plain.runFor("PT1H");
    expect(plain.requests).toEqual([]);
    await plain.close();
    const recording = await World.create({ transport: "direct", recordRequests: true });
    await recording.addDevice({ accountId: "a" });
    await recording.runFor("PT1H");
    expect(recording.requests.slice(0, 2).map((request) => request.operation)).toEqual(["checkin", "heartbeat"]);
    expect(recording.requests[1]?.headers.authorization).toBe("Bearer <redacted>");
    await recording.close();
  });
});

describe("request: checks that cannot pass by accident", () => {
  it("the README's examples load", () => {
    expect(() =>
      planFromYaml(
        story(`- request: { call: heartbeat, device: phone, headers: { authorization: "Bearer <redacted>", content-type: application/json }, body: { state: locked, seq: { gte: 3 } } }
      - request: { call: checkin, device: phone, headers: { authorization: { matches: "." } }, count: 0 }
      - request: { call: unlock_attempt, device: phone, body: { code: { matches: "^\\\\d{8}$" } }, within: PT1H }`),
        "story.yaml",
      ),
    ).not.toThrow();
  });


  const rejected = (expect: string): ScenarioError => rejection(() => planFromYaml(story(expect), "story.yaml"));

  it("refuses a header the phone's client never sends, at the key's line", () => {
    const error = rejected("- request: { call: heartbeat, headers: { conten-type: application/json }, count: 0 }");
    expect(error.problems[0]?.message).toContain('a phone\'s client sends no header "conten-type" (did you mean "content-type"?)');
    expect(error.problems[0]?.line).toBe(13);
  });

  it("refuses a full bearer token (it is recorded redacted, so it could never match)", () => {
    const error = rejected('- request: { call: heartbeat, headers: { authorization: "Bearer dev-token-1" } }');
    expect(error.problems[0]?.message).toContain('write "Bearer <redacted>"');
  });

  it("refuses a body field the call does not have, and a bad regular expression", () => {
    expect(rejected("- request: { call: heartbeat, body: { stat: locked } }").problems[0]?.message).toContain('a heartbeat request has no body field "stat" (did you mean "state"?)');
    expect(rejected("- request: { call: unlock_attempt, body: { code: { matches: \"(\" } } }").problems[0]?.message).toContain("is not a regular expression");
  });

  it("refuses an unknown call and a device that is not in the scenario", () => {
    expect(rejected("- request: { call: heartbeats }").problems[0]?.path).toContain("call");
    expect(rejected("- request: { call: heartbeat, device: nobody }").problems[0]?.message).toContain('no device named "nobody"');
  });
});
