import { imeiFrom } from "../protocol/imei.ts";
import { describe, expect, it } from "vitest";
import { cooldownAfter, defaultAttemptRules, MAX_COOLDOWN_MS } from "../protocol/attempts.ts";
import { World } from "../scenarios/world.ts";
import { createLockService, testKeys } from "./create.ts";
import { createApp } from "./http/app.ts";

const LENDER_A = testKeys.lenders["lender-a"] ?? "";
const LENDER_B = testKeys.lenders["lender-b"] ?? "";
const IMEI = "490154203237518";

function app() {
  const service = createLockService();
  const http = createApp(service);
  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    http.request(path, { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { service, call };
}

describe("the smaller edges of issue 11", () => {
  it("caps the cooldown at a day, however many wrong codes (18 wrong codes once meant 27 days)", () => {
    expect(cooldownAfter(18, defaultAttemptRules)).toBe(MAX_COOLDOWN_MS);
    expect(cooldownAfter(10_000, defaultAttemptRules)).toBe(MAX_COOLDOWN_MS);
    expect(cooldownAfter(6, defaultAttemptRules)).toBe(10 * 60_000);
  });

  it("lets support reset the wrong-code counter, journaled, so a fresh valid code works at once", async () => {
    const { service, call } = app();
    await call("POST", "/v1/lender/devices", LENDER_A, { imei: IMEI, accountId: "a-1", contact: { phone: "+1555" } });
    const enrolled = (await (await call("POST", "/v1/devices/checkin", undefined, { identifiers: [{ type: "imei", value: IMEI }] })).json()) as { deviceId: string; deviceToken: string };
    for (let i = 0; i < 7; i++) await call("POST", `/v1/devices/${enrolled.deviceId}/unlock-attempts`, enrolled.deviceToken, { code: "00000000" });
    const code = ((await (await call("POST", `/v1/support/devices/${enrolled.deviceId}/unlock-codes`, testKeys.support)).json()) as { code: string }).code;
    expect((await call("POST", `/v1/devices/${enrolled.deviceId}/unlock-attempts`, enrolled.deviceToken, { code })).status).toBe(429);
    const reset = await call("POST", `/v1/support/devices/${enrolled.deviceId}/reset-attempts`, testKeys.support);
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ attemptsLeft: 5 });
    expect(service.state.journal.after(0).some((event) => event.type === "unlock_attempts.reset")).toBe(true);
    expect((await call("POST", `/v1/devices/${enrolled.deviceId}/unlock-attempts`, enrolled.deviceToken, { code })).status).toBe(200);
    expect((await call("POST", `/v1/support/devices/${enrolled.deviceId}/reset-attempts`, LENDER_A)).status).toBe(403);
  });

  it("refuses control and bidi-override characters in a lock message and a model name, and keeps line breaks", async () => {
    const { call } = app();
    for (const [field, text] of [
      ["lockMessage", "Pay \u202e005 ot"],
      ["lockMessage", "Call us\u0007"],
      ["lockMessage", "zero\u200bwidth"],
      ["model", "Pixel\u2066 7"],
      ["lockMessage", "pay \ud800 now"],
    ] as const) {
      const answer = await call("POST", "/v1/lender/devices", LENDER_A, { imei: IMEI, accountId: "a-1", contact: { phone: "+1555" }, [field]: text });
      expect([field, JSON.stringify(text), answer.status]).toEqual([field, JSON.stringify(text), 400]);
    }
    const ok = await call("POST", "/v1/lender/devices", LENDER_A, { imei: IMEI, accountId: "a-1", contact: { phone: "+1555" }, lockMessage: "Locked.\nCall 0800 123 456 — Ümit's shop" });
    expect(ok.status).toBe(201);
  });

  it("accepts the joiners that Persian, the Indic scripts and emoji spell with (U+200C, U+200D)", async () => {
    const { call } = app();
    for (const [n, text] of ["ما می\u200cخواهیم کمک کنیم", "कृपया क्\u200dष भुगतान करें", "Please pay 👨\u200d👩\u200d👧"].entries()) {
      const answer = await call("POST", "/v1/lender/devices", LENDER_A, { imei: imeiFrom(`3500000000010${n}`), accountId: `a-${n}`, contact: { phone: "+1555" }, lockMessage: text });
      expect([text, answer.status]).toEqual([text, 201]);
    }
  });

  it("answers a second registration of an IMEI with the same 409 whoever asks, naming no lender or financing", async () => {
    const { call } = app();
    await call("POST", "/v1/lender/devices", LENDER_A, { imei: IMEI, accountId: "a-1", contact: { phone: "+1555" } });
    const own = await call("POST", "/v1/lender/devices", LENDER_A, { imei: IMEI, accountId: "a-2", contact: { phone: "+1555" } });
    const other = await call("POST", "/v1/lender/devices", LENDER_B, { imei: IMEI, accountId: "b-1", contact: { phone: "+1555" } });
    expect([own.status, other.status]).toEqual([409, 409]);
    const [ownBody, otherBody] = [await own.text(), await other.text()];
    expect(otherBody).toBe(ownBody);
    expect(otherBody).not.toMatch(/lender-a|financed|a-1/);
  });

  it("gives the cast's lenders well-known keys only when asked to (serve with configured keys generates them)", async () => {
    const open = await World.create({ lenders: ["acme"] });
    expect(open.keys.lenders["acme"]).toBe("acme-key");
    await open.close();
    const strict = await World.create({ lenders: ["acme"], lenderKey: () => "generated-key-1234" });
    expect(strict.keys.lenders["acme"]).toBe("generated-key-1234");
    await strict.close();
  });
});
