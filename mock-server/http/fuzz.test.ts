import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { operations, type Operations } from "../../protocol/operations.ts";
import { ADMIN, createWorld, LENDER_A, LENDER_B, READ_EVENT_TYPES, SUPPORT, testImei, type World } from "./test-helpers.ts";

/**
 * Every /v1 endpoint fuzzed in-process (`app.request`): random bodies (valid-looking and junk), path ids, query
 * strings, tokens and content types. Whatever comes in: never a 5xx; every 4xx is problem+json; a refused request
 * changes nothing (records, clock, jobs, faults, and no journal event besides the reads that log themselves).
 * HEARTLOCK_FUZZ_RUNS sets the cases per endpoint (default 1,000).
 */
const RUNS = Number(process.env.HEARTLOCK_FUZZ_RUNS ?? 1000);

/** What a refused request must not change, read straight from the service (cheap enough for thousands of cases). */
function fingerprint(w: World): string {
  const { store, clock, faults, journal } = w.service.state;
  const changes = journal.after(0).filter((event) => !READ_EVENT_TYPES.has(event.type)).length;
  return JSON.stringify({
    accounts: [["lender-a", "acct-1"], ["lender-a", "acct-2"], ["lender-b", "acct-1"]].map(([l, a]) => store.getAccount(l ?? "", a ?? "") ?? null),
    devices: [w.one.deviceId, w.two.deviceId].map((id) => store.getDevice(id) ?? null),
    deviceCount: store.deviceCount(),
    now: clock.now(),
    speed: clock.speed(),
    pending: clock.pending(),
    faults,
    changes,
  });
}

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("", "acct-1", "constructor", "__proto__", "%00", "../..", "\u202e", "x".repeat(300)));
const money = fc.oneof(fc.record({ value: fc.oneof(fc.double(), fc.integer(), text), currency: fc.oneof(fc.constantFrom("EUR", "USD", "eur"), text) }), fc.jsonValue());
const duration = fc.oneof(fc.constantFrom("PT1H", "P3D", "P366D", "P3650D", "PT0S", "-PT1H", "P1M", "9".repeat(60)), text);
const time = fc.oneof(fc.constantFrom("2026-03-02T09:00:00Z", "9999-12-31T00:00:00Z", "2026-03-02", "2020-01-01T00:00:00Z"), text);
/** Bodies shaped like the real ones with random field values, plus junk of every kind. */
const body = fc.oneof(
  fc.record(
    {
      imei: fc.oneof(fc.constantFrom(testImei(1), testImei(3), testImei(9)), text),
      accountId: text,
      contact: fc.oneof(fc.record({ phone: fc.oneof(fc.constantFrom("+4930123456"), text), email: text }, { requiredKeys: [] }), fc.jsonValue()),
      lockMessage: text,
      model: text,
      identifiers: fc.oneof(fc.array(fc.record({ type: fc.oneof(fc.constant("imei"), text), value: fc.oneof(fc.constant(testImei(1)), text) }), { maxLength: 3 }), fc.jsonValue()),
      seq: fc.oneof(fc.integer(), fc.double(), text),
      state: fc.oneof(fc.constantFrom("active", "locked", "bogus"), text),
      nonce: text,
      code: fc.oneof(fc.stringMatching(/^\d{8}$/), text),
      reportId: text,
      paymentId: text,
      amountDue: money,
      amount: money,
      dueDate: time,
      paidAt: time,
      gracePeriod: duration,
      advanceBy: duration,
      set: time,
      speed: fc.oneof(fc.double(), fc.integer({ min: -5, max: 100_000 })),
      kind: fc.oneof(fc.constantFrom("outage", "latency", "drop", "forge", "sync_failure", "mitm"), text),
      target: text,
      until: time,
      challenge: text,
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);
const token = (w: World) => fc.constantFrom<string | undefined>(undefined, "wrong", ADMIN, SUPPORT, LENDER_A, LENDER_B, w.one.deviceToken, w.two.deviceToken);
const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "text/plain; application/json", "application/x-www-form-urlencoded");
const query = fc.oneof(fc.constant(""), fc.record({ after: fc.oneof(fc.integer(), text), limit: fc.oneof(fc.integer(), text), imei: fc.oneof(fc.constant(testImei(1)), text) }, { requiredKeys: [] }).map((q) => `?${new URLSearchParams(q as Record<string, string>)}`));

function pathOf(template: string, w: World, id: string): string {
  return template
    .replace("{accountId}", encodeURIComponent(id === "real" ? "acct-1" : id))
    .replace("{deviceId}", encodeURIComponent(id === "real" ? w.one.deviceId : id));
}

describe(`every /v1 endpoint under fuzzed input (${RUNS} cases each)`, () => {
  for (const [name, op] of Object.entries(operations) as [keyof Operations, Operations[keyof Operations]][]) {
    // A reset clears the world on purpose: only its refusals are fuzzed, with a token that is never admin.
    it(`${name} (${op.method.toUpperCase()} ${op.path}) never answers 5xx, answers every 4xx as problem+json and changes nothing when it refuses`, { timeout: 60_000 + RUNS * 60 }, async () => {
      const w = await createWorld();
      const tokens = name === "reset" ? fc.constantFrom<string | undefined>(undefined, "wrong", SUPPORT, LENDER_A) : token(w);
      await fc.assert(
        fc.asyncProperty(body, tokens, contentType, query, fc.oneof(fc.constant("real"), text), fc.boolean(), async (json, bearer, type, search, id, raw) => {
          const before = fingerprint(w);
          const headers: Record<string, string> = { "content-type": type };
          if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
          const sendsBody = op.method !== "get" && op.method !== "delete";
          const response = await w.app.request(pathOf(op.path, w, id) + search, {
            method: op.method.toUpperCase(),
            headers,
            ...(sendsBody ? { body: raw ? JSON.stringify(json).slice(0, -1) : JSON.stringify(json) } : {}),
          });
          const answer = await response.text();
          expect(response.status, answer).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.headers.get("content-type") ?? "", answer).toMatch(/^application\/problem\+json/);
            expect(JSON.parse(answer)).toMatchObject({ status: response.status, code: expect.any(String) });
            // A wrong unlock code is an answer, not a refusal: PROTOCOL.md counts it (five start the cooldown).
            const counted = name === "unlockAttempt" && /"code":"(code_invalid|too_many_attempts|code_expired)"/.test(answer);
            if (!counted) expect(fingerprint(w), `${response.status} ${answer}`).toBe(before);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});
