import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLockService, testKeys } from "../mock-server/create.ts";
import { createApp } from "../mock-server/http/app.ts";
import { startServer, type RunningServer } from "../mock-server/http/node-server.ts";
import { runNetworkFleet } from "./network-fleet.ts";

/** `heartlock fleet --target`: every answer is counted by its status and HMAC signature, a tampered one as bad. */
describe("the network fleet", () => {
  let honest: RunningServer;
  let tampering: RunningServer;
  beforeAll(async () => {
    honest = await startServer(createApp(createLockService()));
    // A man in the middle that changes the standing in every heartbeat answer and keeps its signature.
    const proxy = new Hono();
    const inner = createApp(createLockService());
    proxy.all("*", async (c) => {
      const answer = await inner.fetch(c.req.raw);
      if (!c.req.path.endsWith("/heartbeat") || answer.status !== 200) return answer;
      const body = (await answer.json()) as Record<string, unknown>;
      return c.json({ ...body, standing: body["standing"] === "good" ? "overdue" : "good" });
    });
    tampering = await startServer(proxy);
  });
  afterAll(async () => {
    await honest.close();
    await tampering.close();
  });

  const run = (target: string) => runNetworkFleet({ target, devices: 20, seconds: 0.3, connections: 4, inFlight: 8, lenderKey: testKeys.lenders["lender-a"] ?? "" });

  it("counts the heartbeats a lock service answers and signs, with no errors", async () => {
    const report = await run(honest.url);
    expect(report.devices).toBe(20);
    expect(report.heartbeats).toBeGreaterThan(0);
    expect([report.errors, report.badSignatures, report.errorSamples]).toEqual([0, 0, []]);
  });

  it("with more requests in flight asked for than phones, still sends one heartbeat at a time per phone: no 409", async () => {
    const told: string[] = [];
    // A server of its own: the fleet's IMEIs are derived from the process's start, so they are the first test's too.
    const own = await startServer(createApp(createLockService()));
    const report = await runNetworkFleet({ target: own.url, devices: 5, seconds: 0.3, connections: 4, inFlight: 64, lenderKey: testKeys.lenders["lender-a"] ?? "", onProgress: (text) => told.push(text) }).finally(() => own.close());
    expect(report.heartbeats).toBeGreaterThan(5);
    expect([report.errors, report.badSignatures, report.errorSamples]).toEqual([0, 0, []]);
    expect(told).toContain("64 in flight asked for, 5 used: one heartbeat at a time per phone");
  });

  it("with a lane count that does not divide the phones, and answers arriving out of order, never overlaps one phone's heartbeats", async () => {
    // 7 phones in 6 lanes, each answer held back 0-20 ms: lanes that wrapped into each other's phones raced their seqs.
    const service = createLockService();
    const inner = createApp(service);
    const jittery = new Hono();
    let n = 0;
    jittery.all("*", async (c) => {
      await new Promise((resolve) => setTimeout(resolve, (n++ * 7) % 21));
      return inner.fetch(c.req.raw);
    });
    const own = await startServer(jittery);
    const report = await runNetworkFleet({ target: own.url, devices: 7, seconds: 0.5, connections: 6, inFlight: 6, lenderKey: testKeys.lenders["lender-a"] ?? "" }).finally(() => own.close());
    expect(report.heartbeats).toBeGreaterThan(7);
    expect([report.errors, report.errorSamples]).toEqual([0, []]);
  });

  it("counts an answer whose signature does not verify as bad, never as a heartbeat", async () => {
    const report = await run(tampering.url);
    expect(report.heartbeats).toBe(0);
    expect(report.badSignatures).toBeGreaterThan(0);
    expect(report.errors).toBe(0);
  });
});
