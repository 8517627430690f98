import { describe, expect, it } from "vitest";
import { InvalidSetting, parseLenderKeys, settingsFromEnv, type ServerSettings } from "./env-config.ts";

/** PROTOCOL.md "Roles and authentication": keys, port, host and clock come from the environment. */

type Env = Readonly<Record<string, string | undefined>>;

/** A deterministic key generator: key-1, key-2, … */
function settings(env: Env): ServerSettings {
  let n = 0;
  return settingsFromEnv(env, () => `key-${++n}`);
}

const ALL_KEYS: Env = { HEARTLOCK_ADMIN_KEY: "adm", HEARTLOCK_SUPPORT_KEY: "sup", HEARTLOCK_LENDER_KEYS: "lender-a:la" };

function refusal(env: Env): InvalidSetting {
  try {
    settings(env);
  } catch (error) {
    if (error instanceof InvalidSetting) return error;
    throw error;
  }
  throw new Error("the setting was accepted");
}

describe("settingsFromEnv", () => {
  it("listens on 127.0.0.1:8787 with a real-time clock in UTC when nothing is set", () => {
    const s = settings({});
    expect(s).toMatchObject({ host: "127.0.0.1", port: 8787, clock: "real", timeZone: "UTC" });
    expect(s.seed).toBeUndefined();
  });

  it("generates every key when none is set, one lender among them, and reports all three as generated", () => {
    const s = settings({});
    expect(s.keys).toEqual({ admin: "key-1", support: "key-2", lenders: { "lender-a": "key-3" } });
    expect(s.generated).toEqual(["admin", "support", "lenders"]);
  });

  it("reports nothing as generated when every key is given", () => {
    const s = settings(ALL_KEYS);
    expect(s.keys).toEqual({ admin: "adm", support: "sup", lenders: { "lender-a": "la" } });
    expect(s.generated).toEqual([]);
  });

  it.each<[string, Env, ServerSettings["generated"]]>([
    ["only the admin key", { HEARTLOCK_ADMIN_KEY: "adm" }, ["support", "lenders"]],
    ["only the support key", { HEARTLOCK_SUPPORT_KEY: "sup" }, ["admin", "lenders"]],
    ["only lender keys", { HEARTLOCK_LENDER_KEYS: "a:k" }, ["admin", "support"]],
    ["an empty admin key", { ...ALL_KEYS, HEARTLOCK_ADMIN_KEY: "" }, ["admin"]],
  ])("with %s, reports the others as generated", (_label, env, generated) => {
    expect(settings(env).generated).toEqual(generated);
  });

  it("takes HOST, the time zone and the seed from the environment", () => {
    const s = settings({ HOST: "0.0.0.0", HEARTLOCK_TIME_ZONE: "Europe/Berlin", HEARTLOCK_SEED: "workshop-1" });
    expect(s).toMatchObject({ host: "0.0.0.0", timeZone: "Europe/Berlin", seed: "workshop-1" });
  });

  it.each<[string, number]>([
    ["0", 0],
    ["", 8787],
    ["3000", 3000],
    ["65535", 65535],
  ])("reads PORT=%j as port %d", (port, expected) => {
    expect(settings({ PORT: port }).port).toBe(expected);
  });

  it.each(["abc", "-1", "65536", "80.5", "8787x"])("refuses PORT=%j, naming PORT", (port) => {
    expect(refusal({ PORT: port }).message).toMatch(/^PORT: /);
  });

  it("starts the clock paused with HEARTLOCK_CLOCK=manual", () => {
    expect(settings({ HEARTLOCK_CLOCK: "manual" }).clock).toBe("manual");
    expect(settings({ HEARTLOCK_CLOCK: "real" }).clock).toBe("real");
  });

  it.each(["paused", "MANUAL", "virtual"])("refuses HEARTLOCK_CLOCK=%j", (clock) => {
    expect(refusal({ HEARTLOCK_CLOCK: clock }).message).toMatch(/^HEARTLOCK_CLOCK: /);
  });

  it("treats an empty HEARTLOCK_CLOCK as unset, like every other empty setting", () => {
    expect(settings({ HEARTLOCK_CLOCK: "" }).clock).toBe("real");
  });

  it.each<[string, Env]>([
    ["the admin and support keys", { ...ALL_KEYS, HEARTLOCK_SUPPORT_KEY: "adm" }],
    ["the admin key and a lender key", { ...ALL_KEYS, HEARTLOCK_LENDER_KEYS: "lender-a:adm" }],
    ["the support key and a lender key", { ...ALL_KEYS, HEARTLOCK_LENDER_KEYS: "lender-a:la,lender-b:sup" }],
    ["two lenders' keys", { ...ALL_KEYS, HEARTLOCK_LENDER_KEYS: "lender-a:la,lender-b:la" }],
  ])("refuses the same key for %s, since a token would have two roles", (_label, env) => {
    expect(refusal(env).message).toMatch(/^keys: /);
  });
});

describe("parseLenderKeys", () => {
  it("reads lenderId:key pairs, ignoring spaces and empty entries", () => {
    expect(parseLenderKeys(" lender-a : ka , lender-b:kb,, ")).toEqual({ "lender-a": "ka", "lender-b": "kb" });
  });

  it("keeps everything after the first colon as the key", () => {
    expect(parseLenderKeys("lender-a:k:with:colons")).toEqual({ "lender-a": "k:with:colons" });
  });

  it.each([
    ["a pair without a colon", "lender-a"],
    ["a missing lender id", ":key"],
    ["a missing key", "lender-a:"],
    ["a lender id with a space", "lender a:key"],
    ["a lender id with a slash", "lender/a:key"],
    ["a lender id longer than 64 characters", `${"a".repeat(65)}:key`],
  ])("refuses %s", (_label, text) => {
    expect(() => parseLenderKeys(text)).toThrow(InvalidSetting);
  });

  it("refuses a lender named twice", () => {
    expect(() => parseLenderKeys("lender-a:k1,lender-a:k2")).toThrow(/lender-a appears twice/);
  });

  it.each(["", ",", " , , "])("refuses %j, which names no lender", (text) => {
    expect(() => parseLenderKeys(text)).toThrow(/names no lender/);
  });

  // Lender ids are plain keys, even where they name Object.prototype members.
  it.each(["constructor", "toString", "__proto__"])("accepts the lender id %j, which the protocol allows", (lenderId) => {
    expect(parseLenderKeys(`${lenderId}:k1`)).toEqual({ [lenderId]: "k1" });
  });
});
