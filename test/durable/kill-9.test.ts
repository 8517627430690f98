import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteAvailable } from "../../mock-server/durable/sqlite.ts";
import { call, transport, KEYS, load, startChild, type Acknowledged, type Child } from "./crash-harness.ts";

/**
 * kill -9 with `--data`: a child server under load from many phones is killed mid-load, restarted on the same
 * directory, and every acknowledged effect is checked. HEARTLOCK_CRASH_DEVICES raises the fleet (1,000 for the
 * issue's figures); the default keeps `npm test` to seconds.
 */
const DEVICES = Number(process.env.HEARTLOCK_CRASH_DEVICES ?? 100);
const dir = mkdtempSync(join(tmpdir(), "heartlock-kill9-"));
const children: Child[] = [];
afterAll(() => {
  for (const child of children) child.process.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!sqliteAvailable())("serve --data survives kill -9 (needs Node 22.13+ for node:sqlite)", () => {
  it(`keeps every acknowledged effect of ${DEVICES} phones after SIGKILL mid-load and a restart`, { timeout: 120_000 + DEVICES * 300 }, async () => {
    const first = await startChild(dir);
    children.push(first);
    const ack: Acknowledged = { registered: new Map(), tokens: new Map(), payments: new Map(), lastSeq: 0, errors: 0, failures: [] };
    let killed = false;
    const running = load(first.url, DEVICES, ack, () => killed);
    // Mid-load: once most phones are heartbeating and some payments are in.
    const started = Date.now();
    while ((ack.tokens.size < DEVICES * 0.8 || [...ack.tokens.values()].filter((t) => t.seq >= 1).length < DEVICES * 0.3) && Date.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const exited = new Promise((resolve) => first.process.once("exit", resolve));
    first.process.kill("SIGKILL");
    killed = true;
    await exited;
    await running;
    expect(ack.failures.slice(0, 3)).toEqual([]);
    expect(ack.errors).toBe(0);
    expect(ack.lastSeq).toBeGreaterThan(0);
    expect(ack.payments.size).toBeGreaterThan(0);
    const clockBefore = ack.lastSeq;

    const second = await startChild(dir);
    children.push(second);
    const url = second.url;
    // Every acknowledged registration is there.
    for (const [imei, deviceId] of ack.registered) {
      const found = await call(url, "GET", `/v1/support/devices?imei=${imei}`, KEYS.support);
      expect(found.status, imei).toBe(200);
      expect(found.body.deviceId).toBe(deviceId);
    }
    // Every token still works: a heartbeat past the acknowledged one is answered. Each phone had at most one
    // heartbeat in flight at the kill (seq + 1), which the server may have stored without its answer arriving,
    // so the check sends seq + 2.
    for (const [deviceId, { token, seq }] of ack.tokens) {
      const beat = await call(url, "POST", `/v1/devices/${deviceId}/heartbeat`, token, { seq: seq + 2, state: "active", nonce: `after-${deviceId}` });
      expect(beat.status, deviceId).toBe(200);
    }
    // seq continues past the last acknowledged event, and that event is still there, unchanged.
    const seen = await call(url, "GET", `/v1/sim/events?after=${ack.lastSeq - 1}&limit=1`, KEYS.admin);
    expect((seen.body.events as unknown[])[0]).toEqual(ack.lastEvent);
    const tail = await call(url, "GET", `/v1/sim/events?after=${ack.lastSeq}&limit=1000`, KEYS.admin);
    const next = (tail.body.events as { seq: number; type: string }[]) ?? [];
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((event) => event.seq > clockBefore)).toBe(true);
    // The paused clock continued from its saved moment; the pending syncs land at their time.
    const clock = await call(url, "GET", "/v1/sim/clock", KEYS.admin);
    expect(clock.body.speed).toBe(0);
    const latest = [...ack.payments.values()].map((p) => Date.parse(p.expectedBy)).reduce((a, b) => Math.max(a, b), 0);
    expect(Date.parse(String(clock.body.now))).toBeLessThan(latest);
    const moved = await call(url, "PATCH", "/v1/sim/clock", KEYS.admin, { set: new Date(latest + 60_000).toISOString() });
    expect(moved.status).toBe(200);
    const landed = (await eventsAfter(url, ack.lastSeq)).filter((event) => event.type === "sync.completed");
    for (const [accountId, { expectedBy }] of ack.payments) {
      const event = landed.find((e) => e.data.accountId === accountId);
      expect(event?.at, accountId).toBe(expectedBy);
      const account = await call(url, "GET", `/v1/lender/accounts/${accountId}`, KEYS.lender);
      expect(account.body.standing).toBe("good");
    }
    console.log(`kill -9: ${ack.registered.size} registered, ${ack.tokens.size} checked in, ${ack.payments.size} payments pending, last acknowledged seq ${ack.lastSeq}; all found after restart; ${transport.retries} requests re-sent after a transport failure (${[...transport.causes].join(", ") || "none"})`);
    second.process.kill("SIGTERM");
  });
});

describe.skipIf(!sqliteAvailable())("serve --data: a flowing clock after kill -9", () => {
  it("goes on at its speed from the saved moment, as if the server had never gone down", { timeout: 60_000 }, async () => {
    const flowing = mkdtempSync(join(tmpdir(), "heartlock-kill9-clock-"));
    try {
      const first = await startChild(flowing);
      children.push(first);
      // An hour per real second: the PATCH is on disk before its answer leaves.
      const patched = await call(first.url, "PATCH", "/v1/sim/clock", KEYS.admin, { speed: 3600 });
      expect(patched.status).toBe(200);
      const patchedAt = Date.now();
      const patchedNow = Date.parse(String(patched.body.now));
      first.process.kill("SIGKILL");
      await new Promise((resolve) => first.process.once("exit", resolve));

      const second = await startChild(flowing);
      children.push(second);
      const downFor = Date.now() - patchedAt;
      const clock = await call(second.url, "GET", "/v1/sim/clock", KEYS.admin);
      expect(clock.body.speed).toBe(3600);
      // At least the real time it was down, times its speed, has passed on the simulated clock.
      expect(Date.parse(String(clock.body.now)) - patchedNow).toBeGreaterThanOrEqual(downFor * 3600);
      second.process.kill("SIGTERM");
    } finally {
      rmSync(flowing, { recursive: true, force: true });
    }
  });
});

/** Every event after `seq`, following the `next` cursor. */
async function eventsAfter(url: string, seq: number): Promise<{ type: string; at: string; data: { accountId?: string } }[]> {
  const out: { type: string; at: string; data: { accountId?: string } }[] = [];
  for (let after: number | undefined = seq; after !== undefined; ) {
    const page = await call(url, "GET", `/v1/sim/events?after=${after}&limit=10000`, KEYS.admin);
    out.push(...(page.body.events as typeof out));
    after = page.body.next as number | undefined;
  }
  return out;
}

describe.skipIf(sqliteAvailable())("serve --data on Node before 22.13", () => {
  it("answers one clear line saying it needs Node 22.13+", { timeout: 60_000 }, async () => {
    const missing = join(dir, "not", "made");
    await expect(startChild(missing)).rejects.toThrow(/--data needs Node 22\.13 or later/);
    expect(existsSync(missing)).toBe(false);
  });
});
