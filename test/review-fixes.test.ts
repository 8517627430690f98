import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { imeiFrom } from "../protocol/imei.ts";
import { closeWorlds, deviceIdOf, manInTheMiddle, newWorld, oneFinancedPhone, pay, problemOf, reportDefault } from "./story-helpers.ts";

afterEach(closeWorlds);

describe("holes a lock agent must not have", () => {
  const mock = manInTheMiddle();

  it("stays locked when a man in the middle answers 401 to a heartbeat and 'stop' to the re-check-in", async () => {
    const setup = await oneFinancedPhone({ transport: "fetch" });
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    mock.use(
      http.post(`${world.url}/v1/devices/:deviceId/heartbeat`, () =>
        HttpResponse.json({ type: "x", title: "Unauthorized", status: 401, detail: "forged", code: "unauthorized" }, { status: 401 }),
      ),
      http.post(`${world.url}/v1/devices/checkin`, () => HttpResponse.json({ status: "stop" })),
    );
    await world.runFor("PT3H");
    expect(setup.phone.snapshot.status).toBe("locked");
    expect(world.screen(setup.phone).kind).toBe("locked");
    expect(world.events({ type: "device.checkin_refused" }).length).toBeGreaterThan(0);

    mock.resetHandlers(); // the real lock service is back: the phone re-enrols and stays locked
    await world.runFor("PT7H");
    expect(setup.phone.snapshot.credentials).toBeDefined();
    expect(setup.phone.snapshot.status).toBe("locked");
  });

  it("keeps a tamper lock through a factory reset", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await setup.phone.detectTamper();
    await setup.phone.factoryReset();
    await world.runFor("P1D");
    expect(setup.phone.snapshot).toMatchObject({ status: "locked", lock: { reason: "tamper" } });
    expect(setup.phone.snapshot.credentials).toBeDefined(); // re-enrolled, still locked
  });

  it("refuses an unlock code issued before a default that was reported after it", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const { code } = await world.support.call("issueUnlockCode", { params: { deviceId: deviceIdOf(setup.phone) } });
    await reportDefault(world);
    await world.runFor("PT7H");
    await setup.phone.enterCode(code);
    expect(setup.phone.snapshot.keypad.last).toBe("expired");
    await world.runFor("PT1H");
    expect(setup.phone.snapshot.status).toBe("locked");
  });

  it("locks at the end of a grace period, not hours later at the next regular heartbeat", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await world.runFor("PT1H");
    // Heartbeats come every six hours; the grace ends three hours after one of them.
    const { lockAt } = await reportDefault(world, { gracePeriod: "P1DT2H" });
    await world.runFor("P2D");
    const locked = world.events({ type: "device.state_changed" }).find((e) => e.data.to === "locked");
    expect(Date.parse(locked?.at ?? "")).toBeLessThan(Date.parse(lockAt) + 6 * 60_000); // within the jitter
  });

  it("enrols a dual-SIM phone by whichever of its IMEIs the lender registered", async () => {
    const world = await newWorld({ seed: 4 });
    const registered = imeiFrom("35000000000099");
    await world.lender().call("registerDevice", { body: { imei: registered, accountId: "acct-1", contact: { phone: "+4930123456" } } });
    const answer = await world.service.invoke("checkin", {
      body: { identifiers: [{ type: "imei", value: imeiFrom("35000000000098") }, { type: "imei", value: registered }] },
    });
    expect(answer.body).toMatchObject({ status: "ready" });
  });

  it("refuses a grace period beyond ten years with 400, leaving the account as it was", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const refused = await problemOf(reportDefault(world, { gracePeriod: "P99999999D" }));
    expect([refused.status, refused.code]).toEqual([400, "invalid_request"]);
    expect((await world.lender().call("getAccount", { params: { accountId: "acct-1" } })).standing).toBe("good");
    await pay(world); // and the service still works
  });
});
