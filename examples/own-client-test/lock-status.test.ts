import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// In a team's own project these two imports read "heartlock/msw" and "heartlock/client".
import { createMockLockService } from "../../msw/index.ts";
import { createClient, fetchTransport } from "../../client/index.ts";
import { enrolPhone, lockScreenAfterHeartbeat } from "./lock-status.ts";

const mock = createMockLockService({ seed: 7, start: "2026-03-02T09:00:00Z" });
const server = setupServer(...mock.handlers);
const lender = createClient({ transport: fetchTransport(mock.baseUrl), token: mock.world.keys.lenders["lender-a"] ?? "" });
const IMEI = "353958031213269";

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => mock.world.reset());
afterAll(() => {
  server.close();
  mock.close();
});

describe("our prototype's client code against Heartlock's MSW handlers (setupServer, no server running)", () => {
  it("shows an unlocked screen for a phone in good standing", async () => {
    await lender.registerDevice({ body: { imei: IMEI, accountId: "acct-1", contact: { phone: "+4930123456" } } });
    const phone = await enrolPhone(mock.baseUrl, IMEI);
    if (phone === "unmanaged") throw new Error("expected the registered phone to enrol");
    expect(await lockScreenAfterHeartbeat(mock.baseUrl, phone, 1)).toEqual({ locked: false });
  });

  it("shows the lender's lock message once the lender reports a default", async () => {
    await lender.registerDevice({ body: { imei: IMEI, accountId: "acct-1", lockMessage: "Call Acme Finance to unlock.", contact: { phone: "+4930123456" } } });
    const phone = await enrolPhone(mock.baseUrl, IMEI);
    if (phone === "unmanaged") throw new Error("expected the registered phone to enrol");
    await lender.reportDefault({ params: { accountId: "acct-1" }, body: { reportId: "r-1", amountDue: { value: 49.99, currency: "EUR" }, dueDate: "2026-03-01" } });
    const screen = await lockScreenAfterHeartbeat(mock.baseUrl, phone, 1);
    expect(screen.locked).toBe(true);
    expect(screen.message).toContain("Acme Finance");
  });

  it("treats an IMEI no lender registered as unmanaged", async () => {
    expect(await enrolPhone(mock.baseUrl, "490154203237518")).toBe("unmanaged");
  });

  it("moves the page's clock: a payment syncs only after its delay", async () => {
    await lender.registerDevice({ body: { imei: IMEI, accountId: "acct-1", contact: { phone: "+4930123456" } } });
    await lender.reportDefault({ params: { accountId: "acct-1" }, body: { reportId: "r-1", amountDue: { value: 49.99, currency: "EUR" }, dueDate: "2026-03-01" } });
    await lender.recordPayment({ params: { accountId: "acct-1" }, body: { paymentId: "p-1", amount: { value: 49.99, currency: "EUR" } } });
    expect((await lender.getAccount({ params: { accountId: "acct-1" } })).standing).toBe("default");
    await mock.clock.advance("P3D");
    expect((await lender.getAccount({ params: { accountId: "acct-1" } })).standing).toBe("good");
    expect(mock.world.events().some((event) => event.type.startsWith("sync"))).toBe(true);
  });
});
