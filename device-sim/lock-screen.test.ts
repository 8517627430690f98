import { describe, expect, it } from "vitest";
import { DAY, MINUTE, type Millis } from "../core/clock.ts";
import type { Contact, LockReason, Money } from "../protocol/values.ts";
import { lockScreen, type LockScreen, type PhoneAction, type ScreenKind, type ScreenOptions } from "./lock-screen.ts";
import { initialSnapshot } from "./machine.ts";
import type { DeviceSnapshot, LockInfo } from "./snapshot.ts";

/** What the owner sees: every locked screen says why, whom to contact and what still works. */

const IMEI = "490154203237518";
const NOW: Millis = Date.parse("2026-03-02T09:00:00.000Z");
const CHALLENGE = "4821-7730";
const CONTACT: Contact = { phone: "+4930123456", email: "help@lender.example" };
const AMOUNT: readonly Money[] = [{ value: 49.99, currency: "EUR" }];
const ALWAYS_ON_A_LOCKED_PHONE: readonly PhoneAction[] = ["emergency_call", "payment_app", "show_imei"];

const snap = (patch: Partial<DeviceSnapshot> = {}): DeviceSnapshot => ({ ...initialSnapshot(IMEI), ...patch });

function locked(reason: LockReason, patch: Partial<DeviceSnapshot> = {}, lock: Partial<LockInfo> = {}): DeviceSnapshot {
  const challenge = reason === "overdue" ? {} : { challenge: CHALLENGE };
  return snap({ status: "locked", lastValidAt: NOW - DAY, lock: { reason, since: NOW, contact: CONTACT, ...challenge, ...lock }, ...patch });
}

const reminding = (patch: Partial<DeviceSnapshot["reminder"]> = {}): DeviceSnapshot =>
  snap({ status: "reminding", reminder: { lockAt: "2026-03-05T09:00:00.000Z", amountDue: AMOUNT, contact: CONTACT, ...patch } });

/** Every text the owner can read on a screen. */
const texts = (screen: LockScreen): string[] =>
  [screen.title, screen.body, screen.notice, screen.keypad?.message].filter((t): t is string => t !== undefined);

const screens = {
  setup: snap(),
  restarting: snap({ status: "locked", bootingUntil: NOW + MINUTE }),
  unmanaged: snap({ status: "unmanaged" }),
  active: snap({ status: "active", lastValidAt: NOW }),
  "active, offline warning shown": snap({ status: "active", lastValidAt: NOW - 27 * DAY, offlineWarningShown: true }),
  reminder: reminding(),
  "reminder without amount or deadline": snap({ status: "reminding", reminder: {} }),
  released: snap({ status: "released" }),
  "locked, overdue": locked("overdue", {}, { message: "Please pay your installment.", amountDue: AMOUNT }),
  "locked, overdue, default copy": locked("overdue"),
  "locked, overdue, online code cooling down": locked("overdue", { keypad: { failures: 6, cooldownUntil: NOW + 10 * MINUTE } }),
  "locked, overdue, without a network": locked("overdue", { online: false }),
  "locked, offline": locked("offline", { online: false }),
  "locked, offline, cooling down": locked("offline", { online: false, offlineKeypad: { failures: 5, cooldownUntil: NOW + 5 * MINUTE } }),
  "locked, tamper": locked("tamper"),
} satisfies Record<string, DeviceSnapshot>;
type ScreenName = keyof typeof screens;
const names = Object.keys(screens) as ScreenName[];
const show = (name: ScreenName, options?: ScreenOptions): LockScreen => lockScreen(screens[name], NOW, options);

describe("lockScreen", () => {
  it.each<[ScreenName, ScreenKind, string]>([
    ["setup", "setup", "Setting up"],
    ["restarting", "restarting", "Restarting…"],
    ["unmanaged", "home", "Home"],
    ["active", "home", "Home"],
    ["reminder", "reminder", "Home"],
    ["released", "released", "Your loan is paid off"],
    ["locked, tamper", "locked", "This phone is locked"],
  ])("shows a %s phone the %s screen titled %j", (name, kind, title) => {
    const screen = show(name);
    expect(screen).toMatchObject({ kind, title, imei: IMEI });
  });

  it("gives a restarting phone no actions, even when locked", () => {
    expect(show("restarting").actions).toEqual([]);
  });

  it.each<[ScreenName, readonly PhoneAction[]]>([
    ["setup", ["emergency_call", "show_imei"]],
    ["unmanaged", ["all_apps"]],
    ["active", ["all_apps"]],
    ["released", ["all_apps"]],
    ["reminder", ["all_apps", "payment_app", "contact_lender"]],
  ])("offers a %s phone %j", (name, actions) => {
    expect(show(name).actions).toEqual(actions);
  });

  it("tells an unmanaged phone it is never locked, and a released one that it is fully the owner's", () => {
    expect(lockScreen(snap({ status: "unmanaged" }), NOW).body).toMatch(/never locked/);
    expect(lockScreen(snap({ status: "released" }), NOW).body).toMatch(/fully yours/);
  });

  it.each(names.filter((name) => name.startsWith("locked")))(
    "keeps emergency calls, the payment app and the IMEI on a %s screen and names the contact",
    (name) => {
      const screen = show(name);
      expect(screen.kind).toBe("locked");
      expect(screen.actions).toEqual(expect.arrayContaining([...ALWAYS_ON_A_LOCKED_PHONE]));
      expect(screen.body).toContain("Emergency calls, the payment app and your IMEI");
      expect(screen.contact).toEqual(CONTACT);
    },
  );

  it("explains an overdue lock with the lender's message, the amount and the contact, and takes support's online code", () => {
    const screen = show("locked, overdue");
    expect(screen.lockReason).toBe("overdue");
    expect(screen.body).toContain("Please pay your installment.");
    expect(screen.body).toContain("€49.99");
    expect(screen.body).toContain(CONTACT.phone);
    expect(screen.actions).toContain("enter_code");
    expect(screen.keypad).toEqual({ mode: "online", attemptsLeft: 5 });
  });

  it("uses the deck's default, naming the lender, when the lender sent no message of its own", () => {
    // A lender with no name is "your lender", capitalised where it opens a sentence and not in the middle of one.
    const unnamed = show("locked, overdue, default copy").body;
    expect(unnamed).toMatch(/^Your lender locked this phone because an installment is overdue\. Contact your lender: /);
    expect(unnamed).toContain("to unlock. Your lender can also give you an unlock code.");
    expect(show("locked, overdue, default copy", { lender: { name: "Acme Phone Finance" } }).body).toMatch(/^Acme Phone Finance locked this phone because/);
    expect(show("locked, overdue, default copy", { lender: { name: "Acme" } }).body).not.toContain(show("locked, overdue, default copy").title);
  });

  it("names the lender and its number on an offline lock, instead of \"call your lender's support\"", () => {
    const screen = show("locked, offline", { lender: { name: "Acme Phone Finance", contact: CONTACT } });
    expect(screen.body).toContain("call Acme Phone Finance on +4930123456 and read them the challenge below");
    expect(screen.body).not.toMatch(/lender's support/);
  });

  it.each<ScreenName>(["locked, offline", "locked, tamper"])("shows the challenge on a %s screen and offers to enter an offline code", (name) => {
    const screen = show(name);
    expect(screen.text.challenge?.code).toBe(CHALLENGE);
    expect(screen.actions).toContain("enter_offline_code");
    expect(screen.actions).not.toContain("enter_code");
    expect(screen.keypad).toMatchObject({ mode: "offline", challenge: CHALLENGE });
    expect(screen.keypad?.message).toContain("Read the challenge to");
  });

  it("says how many days an offline lock waited", () => {
    expect(show("locked, offline").body).toContain("for 30 days");
  });

  // An overdue lock has no challenge, so it never switches its keypad to offline codes.
  it("never offers an offline code without a challenge to read to support", () => {
    const screen = show("locked, overdue, without a network");
    expect(screen.actions.includes("enter_offline_code")).toBe(screen.keypad?.challenge !== undefined);
  });

  it.each<[ScreenName, string, string]>([
    ["locked, offline, cooling down", "10:05", "2026-03-02T09:05:00.000Z"],
    ["locked, overdue, online code cooling down", "10:10", "2026-03-02T09:10:00.000Z"],
  ])("tells the owner of a %s phone when to try again, in local time", (name, local, until) => {
    const screen = show(name, { timeZone: "Europe/Berlin" });
    expect(screen.keypad).toMatchObject({ attemptsLeft: 0, cooldownUntil: until });
    expect(screen.keypad?.message).toBe(`Too many wrong codes. Try again after ${local}.`);
  });

  it("counts the attempts left before a cooldown", () => {
    expect(lockScreen(locked("overdue", { keypad: { failures: 3 } }), NOW).keypad?.attemptsLeft).toBe(2);
  });

  it.each<[string, string]>([
    ["UTC", "Thu 5 Mar, 09:00"],
    ["Europe/Berlin", "Thu 5 Mar, 10:00"],
    ["America/New_York", "Thu 5 Mar, 04:00"],
  ])("shows a reminder's amount and deadline in %s", (timeZone, deadline) => {
    const screen = lockScreen(reminding(), NOW, { timeZone });
    expect(screen.notice).toBe(
      `Your installment of €49.99 to your lender is overdue. Pay by ${deadline} to keep using this phone without interruption. ` +
        "A payment can take up to two business days to reach this phone, so pay early.",
    );
    expect(screen.contact).toEqual(CONTACT);
  });

  it("warns an active phone that has been offline long, naming the lock date in its zone", () => {
    const screen = show("active, offline warning shown", { timeZone: "Europe/Berlin" });
    expect(screen.notice).toBe("Connect to the internet by Thu 5 Mar, 10:00 to keep using this phone.");
    expect(show("active").notice).toBeUndefined();
  });

  it.each(names)("leaves no {variable} unfilled and no TODO on the %s screen", (name) => {
    for (const text of texts(show(name))) {
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text).not.toMatch(/TODO/i);
      expect(text.trim()).not.toBe("");
    }
  });
});
