import { afterEach, describe, expect, it } from "vitest";
import { account, closeWorlds, deviceIdOf, oneFinancedPhone, pay, problemOf, reportDefault } from "./story-helpers.ts";

afterEach(closeWorlds);

describe("the lock and unlock story, through the device simulator and the lock service together", () => {
  it("keeps a phone in good standing working for a month, heartbeating about every six hours", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await world.runFor("P30D");
    expect(setup.phone.snapshot.status).toBe("active");
    expect(world.screen(setup.phone).kind).toBe("home");
    const heartbeats = world.events({ type: "heartbeat" }).length;
    expect(heartbeats).toBeGreaterThanOrEqual(115);
    expect(heartbeats).toBeLessThanOrEqual(122);
    expect(world.events({ type: "command.issued" })).toHaveLength(0);
  });

  it("locks at the first heartbeat after a default is reported, with the lender's message and contact", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const reported = await reportDefault(world);
    expect(reported.standing).toBe("default");
    expect(setup.phone.snapshot.status).toBe("active"); // nothing is pushed: the phone learns at its next poll

    await world.runFor("PT6H10M");
    const screen = world.screen(setup.phone);
    expect(screen.kind).toBe("locked");
    expect(screen.lockReason).toBe("overdue");
    expect(screen.body).toContain("Your Acme Phones installment is overdue.");
    expect(screen.body).toContain("+4930123456");
    expect(screen.actions).toEqual(expect.arrayContaining(["emergency_call", "payment_app", "show_imei", "enter_code"]));
    expect(screen.actions).not.toContain("all_apps");

    const lockedAt = world.events({ type: "device.state_changed" }).find((e) => e.data.to === "locked");
    const firstHeartbeatAfter = world.events({ type: "heartbeat" }).find((e) => e.at >= "2026-03-02T09:01:00.000Z" && e.seq > 0 && e.data.seq === 2);
    expect(lockedAt?.at).toBe(firstHeartbeatAfter?.at);
    await world.runFor("PT20M"); // the lock service learns the phone's state from its next heartbeat
    expect((await account(world)).devices[0]).toMatchObject({ state: "locked", lockReason: "overdue" });
  });

  it("reminds during a grace period and locks only once it has ended", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const reported = await reportDefault(world, { gracePeriod: "P3D" });
    expect(reported).toMatchObject({ standing: "overdue", lockAt: "2026-03-05T09:01:00.000Z" });

    await world.runFor("PT7H");
    const reminder = world.screen(setup.phone);
    expect(reminder.kind).toBe("reminder");
    expect(reminder.notice).toContain("€49.99");
    expect(reminder.notice).toContain("5 Mar");

    await world.runUntil("2026-03-05T09:00:00.000Z");
    expect(setup.phone.snapshot.status).toBe("reminding");
    expect((await account(world)).standing).toBe("overdue");

    await world.runUntil("2026-03-05T15:30:00.000Z");
    expect(setup.phone.snapshot.status).toBe("locked");
    const standingChanges = world.events({ type: "standing.changed" }).map((e) => [e.at, e.data.to]);
    expect(standingChanges).toEqual([
      ["2026-03-02T09:01:00.000Z", "overdue"],
      ["2026-03-05T09:01:00.000Z", "default"],
    ]);
  });

  it("unlocks a phone paid on Friday evening only after the sync lands on a business day", async () => {
    const setup = await oneFinancedPhone({ timeZone: "Europe/Berlin", start: "2026-03-06T08:00", seed: 3 });
    const { world } = setup;
    await reportDefault(world);
    await world.runUntil("2026-03-06T18:00");
    expect(setup.phone.snapshot.status).toBe("locked");

    const paid = await pay(world);
    const expectedBy = Date.parse(paid.sync.expectedBy);
    // Business hours are 09:00-17:00 in Berlin: the earliest landing is Monday 10:00, the latest Wednesday 09:00.
    expect(expectedBy).toBeGreaterThanOrEqual(Date.parse("2026-03-09T09:00:00.000Z"));
    expect(expectedBy).toBeLessThanOrEqual(Date.parse("2026-03-11T08:00:00.000Z"));
    expect(world.calendar.isBusinessTime(expectedBy)).toBe(true);

    await world.runUntil("2026-03-09T00:00");
    expect(setup.phone.snapshot.status).toBe("locked"); // the whole weekend stays locked
    expect((await account(world)).sync).toEqual({ status: "pending", expectedBy: paid.sync.expectedBy });

    await world.runUntil(expectedBy + 20 * 60_000);
    expect((await account(world)).standing).toBe("good");
    expect(setup.phone.snapshot.status).toBe("active");
    const unlocked = world.events({ type: "device.state_changed" }).find((e) => e.data.to === "active" && e.at > paid.sync.expectedBy);
    expect(Date.parse(unlocked?.at ?? "")).toBeLessThanOrEqual(expectedBy + 16 * 60_000); // a locked phone polls every 15 minutes
  });

  it("keeps a paid phone locked while the sync fails, until support's manual refresh", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    await world.facilitator.call("addFault", { body: { kind: "sync_failure", target: "acct-1" } });
    const paid = await pay(world);

    await world.runFor("P5D");
    expect(setup.phone.snapshot.status).toBe("locked");
    expect((await account(world)).sync).toEqual({ status: "failed", expectedBy: paid.sync.expectedBy, error: "token update failed" });

    // Clearing the fault does not retry by itself: the sync stays failed until someone refreshes it.
    await world.facilitator.call("clearFaults");
    await world.runFor("P1D");
    expect((await account(world)).sync.status).toBe("failed");

    const refreshed = await world.support.call("refresh", { params: { deviceId: deviceIdOf(setup.phone) } });
    expect(refreshed).toEqual({ standing: "good", sync: { status: "idle" } });
    await world.runFor("PT16M");
    expect(setup.phone.snapshot.status).toBe("active");
  });

  it("refuses a refresh-less unlock code while the lender still shows the account overdue", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    const refused = await problemOf(world.support.call("issueUnlockCode", { params: { deviceId: deviceIdOf(setup.phone) } }));
    expect([refused.status, refused.code]).toEqual([409, "standing_not_good"]);
  });

  it("counts wrong codes, cools down with doubling waits, then accepts the right code and does not relock", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    const { phone } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    // Paid at the lender, but the sync is failing, so the lock service keeps a stale "default".
    await world.facilitator.call("addFault", { body: { kind: "sync_failure" } });
    await pay(world);
    const { code } = await world.support.call("issueUnlockCode", { params: { deviceId: deviceIdOf(phone) } });
    const wrong = code === "00000000" ? "11111111" : "00000000";

    for (let i = 1; i <= 4; i++) {
      await phone.enterCode(wrong);
      expect(world.screen(phone).keypad?.attemptsLeft).toBe(5 - i);
    }
    await phone.enterCode(wrong); // the fifth starts a five-minute cooldown
    await phone.enterCode(code); // refused unseen during the cooldown
    expect(phone.snapshot.keypad.last).toBe("cooldown");
    const retryAfter = world.events({ type: "unlock_attempt.answered" }).at(-1)?.data.retryAfter;
    expect(retryAfter).toBe(300);

    await world.runFor("PT5M");
    await phone.enterCode(wrong); // the sixth doubles it to ten minutes
    await world.runFor("PT5M");
    await phone.enterCode(code);
    expect(phone.snapshot.keypad.last).toBe("cooldown");
    await world.runFor("PT5M");
    await phone.enterCode(code);
    expect(phone.snapshot.keypad.last).toBe("accepted");
    expect(world.screen(phone).kind).toBe("restarting");

    await world.runFor("P3D"); // the standing is still stale, but the code's unlock holds
    expect((await account(world)).standing).toBe("default");
    expect(phone.snapshot.status).toBe("active");
    const results = world.events({ type: "unlock_attempt.answered" }).map((e) => e.data.result);
    expect(results).toEqual([
      "code_invalid",
      "code_invalid",
      "code_invalid",
      "code_invalid",
      "code_invalid",
      "too_many_attempts",
      "code_invalid",
      "too_many_attempts",
      "accepted",
    ]);
    // The code is single-use.
    await reportDefault(world, { reportId: "r-2" });
    await world.runFor("PT7H");
    expect(phone.snapshot.status).toBe("locked"); // a new default after the code locks again
    await phone.enterCode(code);
    expect(phone.snapshot.keypad.last).toBe("invalid");
  });

  it("refuses an unlock code entered after its 72 hours", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    await pay(world);
    await world.facilitator.call("addFault", { body: { kind: "sync_failure" } });
    const { code, expiresAt } = await world.support.call("issueUnlockCode", { params: { deviceId: deviceIdOf(setup.phone) } });
    expect(Date.parse(expiresAt) - world.now()).toBe(72 * 3_600_000);

    await world.runFor("PT72H");
    await setup.phone.enterCode(code);
    expect(setup.phone.snapshot.keypad.last).toBe("expired");
    expect(setup.phone.snapshot.status).toBe("locked");
    expect(world.screen(setup.phone).keypad?.attemptsLeft).toBe(5); // the right code late is not a guess
  });

  it("releases the phone for good at the next heartbeat once the loan is paid off", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    await world.lender().call("completeLoan", { params: { accountId: "acct-1" } });
    await world.runFor("PT16M");
    expect(setup.phone.snapshot.status).toBe("released");
    expect(world.screen(setup.phone).kind).toBe("released");
    const before = world.events({ type: "heartbeat" }).length;
    await world.runFor("P40D");
    expect(world.events({ type: "heartbeat" }).length).toBe(before); // a released phone stops polling
    expect(setup.phone.snapshot.status).toBe("released"); // and never locks offline
    // The lender and support see it released, not the "locked" it last reported before the release reached it.
    const account = await world.lender().call("getAccount", { params: { accountId: "acct-1" } });
    expect(account.devices.map((device) => [device.state, "lockReason" in device])).toEqual([["released", false]]);
    const looked = await world.support.call("supportLookup", { query: { imei: setup.phone.imei } });
    expect(looked.state).toBe("released");
  });
});
