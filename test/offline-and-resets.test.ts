import { afterEach, describe, expect, it } from "vitest";
import { closeWorlds, deviceIdOf, newWorld, oneFinancedPhone, problemOf, reportDefault } from "./story-helpers.ts";

afterEach(closeWorlds);

describe("a phone that loses its connection", () => {
  it("warns three days ahead, locks itself after 30 days without a heartbeat, and opens with support's offline code", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const { phone } = setup;
    await world.runFor("PT1H");
    await phone.setOnline(false);
    const lastContact = phone.snapshot.lastValidAt ?? 0;

    await world.runUntil(lastContact + 27 * 86_400_000 + 60_000);
    expect(phone.snapshot.status).toBe("active");
    expect(world.screen(phone).notice).toMatch(/Connect to the internet by/);

    await world.runUntil(lastContact + 30 * 86_400_000 + 60_000);
    const screen = world.screen(phone);
    expect(screen).toMatchObject({ kind: "locked", lockReason: "offline" });
    expect(screen.actions).toContain("enter_offline_code");
    const challenge = screen.keypad?.challenge ?? "";
    expect(challenge).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(screen.text.challenge?.code).toBe(challenge);
    expect(screen.body).toContain("read them the challenge");

    // The owner calls support, reads the challenge, and types the answer; the phone checks it without a network.
    await phone.enterOfflineCode("12345678");
    expect(phone.snapshot.offlineKeypad.last).toBe("invalid");
    const { code } = await world.support.call("issueOfflineCode", { params: { deviceId: deviceIdOf(phone) }, body: { challenge } });
    await phone.enterOfflineCode(code);
    expect(phone.snapshot.status).toBe("active");
    expect(world.events({ type: "device.offline_code_accepted" })).toHaveLength(1);

    // The answer restarts the offline countdown: another 30 days before the next offline lock.
    await world.runFor("P29D");
    expect(phone.snapshot.status).toBe("active");
  });

  it("unlocks an offline-locked phone by itself when it reconnects and the account is in good standing", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await setup.phone.setOnline(false);
    await world.runFor("P31D");
    expect(setup.phone.snapshot.lock?.reason).toBe("offline");
    await setup.phone.setOnline(true);
    await world.runFor("PT1M");
    expect(setup.phone.snapshot.status).toBe("active");
  });

  it("relocks for the overdue payment, not the lost connection, when a defaulted phone reconnects", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await setup.phone.setOnline(false);
    await reportDefault(world);
    await world.runFor("P31D");
    expect(setup.phone.snapshot.lock?.reason).toBe("offline");
    await setup.phone.setOnline(true);
    await world.runFor("PT1M");
    expect(setup.phone.snapshot).toMatchObject({ status: "locked", lock: { reason: "overdue" } });
  });

  it("refuses support an offline code while the lender shows the account overdue", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    const refused = await problemOf(
      world.support.call("issueOfflineCode", { params: { deviceId: deviceIdOf(setup.phone) }, body: { challenge: "ABCD-1234" } }),
    );
    expect(refused.code).toBe("standing_not_good");
  });
});

describe("restarts and resets", () => {
  it("keeps the lock through a reboot", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    await setup.phone.reboot();
    expect(world.screen(setup.phone).kind).toBe("restarting");
    await world.runFor("PT1M");
    expect(world.screen(setup.phone)).toMatchObject({ kind: "locked", lockReason: "overdue" });
  });

  it("keeps the lock through a reboot even when the phone comes back offline", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    await setup.phone.setOnline(false);
    await setup.phone.reboot();
    await world.runFor("P1D");
    expect(setup.phone.snapshot.status).toBe("locked");
  });

  it("re-enrols the same device after a factory reset and locks it again at once", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const { phone } = setup;
    const deviceId = deviceIdOf(phone);
    const oldToken = phone.snapshot.credentials?.token;
    await reportDefault(world);
    await world.runFor("PT7H");

    await phone.factoryReset();
    expect(world.screen(phone).kind).toBe("restarting");
    await world.runFor("PT1M");
    expect(phone.deviceId).toBe(deviceId);
    expect(phone.snapshot.credentials?.token).not.toBe(oldToken);
    expect(world.screen(phone)).toMatchObject({ kind: "locked", lockReason: "overdue" });
    expect(world.events({ type: "checkin.answered" }).at(-1)?.data).toMatchObject({ status: "ready", reenrolment: true });

    // The old credentials no longer work.
    const refused = await world.service.invoke("heartbeat", {
      token: oldToken,
      params: { deviceId },
      body: { seq: 99, state: "active", nonce: "nonce-0001" },
    });
    expect(refused.status).toBe(401);
  });

  it("stays at setup after a factory reset without a connection: a reset does not escape the lock", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    await setup.phone.setOnline(false);
    await setup.phone.factoryReset();
    await world.runFor("P2D");
    expect(world.screen(setup.phone).kind).toBe("setup");
    expect(world.screen(setup.phone).actions).toEqual(["emergency_call", "show_imei"]);
  });

  it("runs unmanaged when no lender registered the IMEI", async () => {
    const world = await newWorld({ seed: 1 });
    const phone = await world.addDevice({ accountId: "none", financed: false });
    await world.runFor("P40D");
    expect(phone.snapshot.status).toBe("unmanaged");
    expect(world.events({ type: "heartbeat" })).toHaveLength(0);
    expect(world.events({ type: "checkin.answered" })[0]?.data.status).toBe("stop");
  });

  it("locks on tamper and opens only with support's code, whatever the standing says", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await setup.phone.detectTamper();
    await world.runFor("P1D");
    expect(setup.phone.snapshot.lock?.reason).toBe("tamper"); // a good standing does not lift a tamper lock
    const challenge = setup.phone.snapshot.lock?.challenge ?? "";
    const { code } = await world.support.call("issueOfflineCode", { params: { deviceId: deviceIdOf(setup.phone) }, body: { challenge } });
    await setup.phone.enterOfflineCode(code);
    expect(setup.phone.snapshot.status).toBe("active");
  });
});

describe("a world with its own lenders", () => {
  it("keeps each lender's accounts apart: the same account id under two lenders is two accounts", async () => {
    const world = await newWorld({ seed: 2, lenders: ["acme", "globex"] });
    const acmePhone = await world.addDevice({ accountId: "acct-1", lenderId: "acme" });
    const globexPhone = await world.addDevice({ accountId: "acct-1", lenderId: "globex" });
    await world.runFor("PT1M");
    await world.lender("acme").call("reportDefault", {
      params: { accountId: "acct-1" },
      body: { reportId: "r-1", amountDue: { value: 10, currency: "USD" }, dueDate: "2026-03-01" },
    });
    await world.runFor("PT7H");
    expect(acmePhone.snapshot.status).toBe("locked");
    expect(globexPhone.snapshot.status).toBe("active");
    expect((await world.lender("globex").call("getAccount", { params: { accountId: "acct-1" } })).standing).toBe("good");
  });
});
