import { describe, expect, it } from "vitest";
import { createApp } from "../mock-server/http/app.ts";
import { createLockService, testKeys } from "../mock-server/create.ts";
import { imeiFrom } from "../protocol/imei.ts";
import { createClient, directTransport, inProcessTransport, operations, ProblemError, verifyResponse, type LockServiceClient } from "./index.ts";

const IMEI = imeiFrom("35395803121326");

async function enrolled(client: LockServiceClient) {
  const lender = client.as(testKeys.lenders["lender-a"] ?? "");
  const registered = await lender.registerDevice({ body: { imei: IMEI, accountId: "acct-1", contact: { phone: "+4930123456" } } });
  const checkin = await client.checkin({ body: { identifiers: [{ type: "imei", value: IMEI }] } });
  if (checkin.status !== "ready") throw new Error("not enrolled");
  return { lender, registered, checkin, device: client.as(checkin.deviceToken) };
}

describe("createClient from heartlock/client", () => {
  it("has one method per operation of the protocol table", () => {
    const client = createClient({ transport: directTransport(createLockService()) });
    for (const id of Object.keys(operations)) expect(typeof (client as unknown as Record<string, unknown>)[id]).toBe("function");
  });

  it.each([
    ["in-process", () => inProcessTransport(createApp(createLockService()))],
    ["direct", () => directTransport(createLockService())],
  ])("plays check-in and a signed heartbeat over the %s transport", async (_name, transport) => {
    const client = createClient({ transport: transport() });
    const { registered, checkin, device } = await enrolled(client);
    expect(registered.status).toBe("registered");
    const beat = await device.heartbeat({ params: { deviceId: checkin.deviceId }, body: { seq: 1, state: "active", nonce: "n-1" } });
    expect(beat.command.type).toBe("none");
    expect(verifyResponse(beat, checkin.deviceSecret)).toBe(true);
  });

  it("rejects a problem with one error class keeping status, code, detail, attemptsLeft and retryAfter", async () => {
    const client = createClient({ transport: inProcessTransport(createApp(createLockService())) });
    const { checkin, device } = await enrolled(client);
    const attempt = () => device.unlockAttempt({ params: { deviceId: checkin.deviceId }, body: { code: "00000000" } });
    const first = await attempt().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ProblemError);
    expect(first).toMatchObject({ status: 422, code: "code_invalid", attemptsLeft: 4 });
    expect((first as ProblemError).detail).not.toBe("");
    let last: unknown;
    for (let i = 0; i < 5; i++) last = await attempt().catch((error: unknown) => error);
    expect(last).toMatchObject({ status: 429, code: "too_many_attempts" });
    expect((last as ProblemError).retryAfter).toBeGreaterThan(0);
  });
});
