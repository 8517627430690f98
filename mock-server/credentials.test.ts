import { describe, expect, it } from "vitest";
import { createLockService, testKeys } from "./create.ts";
import { secureCredentials } from "./credentials.ts";
import { createApp } from "./http/app.ts";

/** Registers a phone, checks it in, and has support issue a code: the three secrets the issue predicted from a seed. */
async function secretsOf(options: Parameters<typeof createLockService>[0]) {
  const service = createLockService(options);
  const app = createApp(service);
  const json = (method: string, path: string, token: string | undefined, body?: unknown) =>
    app.request(path, { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const imei = "490154203237518";
  await json("POST", "/v1/lender/devices", testKeys.lenders["lender-a"], { imei, accountId: "acct-1", contact: { phone: "+1555" } });
  const checkin = (await (await json("POST", "/v1/devices/checkin", undefined, { identifiers: [{ type: "imei", value: imei }] })).json()) as { deviceId: string; deviceToken: string; deviceSecret: string };
  const code = (await (await json("POST", `/v1/support/devices/${checkin.deviceId}/unlock-codes`, testKeys.support)).json()) as { code: string };
  return { deviceId: checkin.deviceId, token: checkin.deviceToken, secret: checkin.deviceSecret, code: code.code };
}

describe("credentials", () => {
  it("are the same for the same seed in a scenario run (seeded, so a test may know them)", async () => {
    expect(await secretsOf({ seed: 42 })).toEqual(await secretsOf({ seed: 42 }));
  });

  it("come from a CSPRNG when serve injects it: the same seed no longer predicts a token, a secret or a code", async () => {
    const one = await secretsOf({ seed: 42, credentials: secureCredentials });
    const two = await secretsOf({ seed: 42, credentials: secureCredentials });
    const seeded = await secretsOf({ seed: 42 });
    expect(one.deviceId).toBe(seeded.deviceId); // the story (ids) still follows the seed
    for (const key of ["token", "secret", "code"] as const) {
      expect(one[key]).not.toBe(two[key]);
      expect(one[key]).not.toBe(seeded[key]);
    }
    expect(one.code).toMatch(/^\d{8}$/);
    expect(one.secret).toMatch(/^[0-9a-z]{32}$/);
  });

  it("draws every symbol about equally often (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (const ch of secureCredentials.token(36_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(36);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(200);
  });
});
