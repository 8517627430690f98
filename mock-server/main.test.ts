import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";

/** `npm start` as a user runs it: a real process on a free loopback port, stopped by the test. */
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGTERM");
  child = undefined;
});

function start(env: Record<string, string>, args: string[] = []): Promise<string> {
  // Exactly what `npm start` runs (plus, for `heartlock serve <file>`, its argument).
  child = spawn(process.execPath, ["bin/heartlock.js", "serve", ...args], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child?.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      // serve.ts prints its whole banner in one write, which ends with the clock line or the keys.
      if (out.includes("  clock ")) resolve(out);
    });
    child?.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child?.on("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

describe("npm start", () => {
  it("serves on 127.0.0.1 at a free port, prints the URL and the generated keys, and the admin key works", { timeout: 20_000 }, async () => {
    const printed = await start({ HEARTLOCK_CLOCK: "manual" });
    const url = printed.match(/URL\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const admin = printed.match(/admin\s+(\S+)/)?.[1];
    expect(url).toBeDefined();
    expect(printed).toMatch(/lender\s+lender-a:\S+/);
    expect(printed).toContain("manual (paused");

    const health = await request(`${url}/healthz`);
    expect(await health.body.json()).toEqual({ ok: true });
    const clock = await request(`${url}/v1/sim/clock`, { headers: { authorization: `Bearer ${admin}` } });
    expect(((await clock.body.json()) as { speed: number }).speed).toBe(0);
  });

  it("takes keys from the environment and prints none of them", { timeout: 20_000 }, async () => {
    const printed = await start({ HEARTLOCK_ADMIN_KEY: "a-key", HEARTLOCK_SUPPORT_KEY: "s-key", HEARTLOCK_LENDER_KEYS: "acme:l-key" });
    expect(printed).not.toContain("keys generated");
    const url = printed.match(/URL\s+(\S+)/)?.[1];
    const denied = await request(`${url}/v1/lender/accounts/x`, { headers: { authorization: "Bearer a-key" } });
    expect(denied.statusCode).toBe(403);
    await denied.body.dump();
  });

  it("heartlock serve <file.yaml> opens the studio on that scenario file, paused at its start", { timeout: 20_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "heartlock-serve-file-"));
    const file = join(dir, "my-story.yaml");
    writeFileSync(
      file,
      `title: My own story
summary: One phone, one default.
objectives: [A file opens in the studio]
seed: 5
start: 2026-03-02T09:00
devices:
  - { name: phone, account: acct }
timeline:
  - { after: PT1H, do: lender.default, account: acct, amount: 10 EUR }
`,
    );
    const printed = await start({ HEARTLOCK_ADMIN_KEY: "file-admin" }, [file]);
    const url = printed.match(/URL\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const answer = await request(`${url}/studio/api/state`, { headers: { authorization: "Bearer file-admin" } });
    const state = (await answer.body.json()) as { stage: { kind: string; title: string; steps: unknown[] }; clock: { playing: boolean; now: string }; devices: { name: string }[] };
    expect(state.stage).toMatchObject({ kind: "scenario", title: "My own story" });
    expect(state.stage.steps).toHaveLength(1);
    expect(state.clock).toMatchObject({ playing: false, now: "2026-03-02T09:00:00.000Z" }); // no timeZone: UTC
    expect(state.devices.map((device) => device.name)).toEqual(["phone"]);
  });
});
