import type { Page } from "playwright-core";
import { afterEach, describe, expect, it, type TestContext } from "vitest";
import { browserMissing, browserRequired, openSession, type Session } from "./browser/harness.ts";

/**
 * The studio in a real browser (Debian's Chromium through playwright-core), on a fresh server each time:
 * a facilitator clicks the whole story, then plays a library scenario to its end. Any console error or
 * warning, uncaught error, or request that would leave the machine fails the test. Screenshots of the main
 * states go to test-artifacts/studio/.
 */
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** Without Chromium the tests say why they did not run; in CI (HEARTLOCK_REQUIRE_BROWSER=1) that is a failure. */
function needBrowser(context: TestContext): void {
  if (browserMissing === undefined) return;
  if (browserRequired) throw new Error(`browser tests are required here, but ${browserMissing}`);
  context.skip(browserMissing);
}

const byTest = (page: Page, id: string) => page.getByTestId(id);
/** The text of the first element with this test id, for `expect.poll` (the page updates over SSE). */
const textOf = (page: Page, id: string) => async () => (await byTest(page, id).first().textContent()) ?? "";
const kindOf = (page: Page) => () => byTest(page, "phone-screen").getAttribute("data-kind");
const POLL = { timeout: 15_000 };

/** Presses "step to the next event" until the phone shows `kind` (each press moves to the next notable event). */
async function stepUntilScreen(page: Page, kind: string, presses = 20): Promise<void> {
  for (let i = 0; i < presses; i++) {
    if ((await byTest(page, "phone-screen").getAttribute("data-kind")) === kind) return;
    await byTest(page, "step").click();
    await page.waitForTimeout(150);
  }
  await expect.poll(kindOf(page), POLL).toBe(kind);
}

describe("the studio in a browser", () => {
  it("clicks through the whole story: default, lock screen, payment, sync delay, refresh, code on the keypad, unlocked", { timeout: 120_000 }, async (context) => {
    needBrowser(context);
    session = await openSession();
    const { page } = session;
    await page.goto(session.studio.openUrl);
    await expect.poll(textOf(page, "clock-local"), POLL).toContain("Mon 2 Mar 2026, 09:00");

    // The phones boot and enrol; amara's phone shows its home screen.
    await stepUntilScreen(page, "home");
    await session.screenshot("1-home");

    // The lender reports the missed installment (no grace), by keyboard: focus the button, press Enter.
    await byTest(page, "lender-default").focus();
    await page.keyboard.press("Enter");
    await expect.poll(textOf(page, "action-outcome"), POLL).toContain("now default");
    await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/default/i);

    // Nothing is pushed: the phone locks at its next heartbeat.
    await stepUntilScreen(page, "locked");
    await expect.poll(textOf(page, "phone-title"), POLL).toMatch(/locked/i);
    await expect.poll(textOf(page, "phone-screen"), POLL).toContain("overdue installment");
    await expect.poll(textOf(page, "phone-screen"), POLL).toContain("+4930123456789");
    await session.screenshot("2-locked");

    // Support cannot issue a code while the account is in default: the page says so, and logs no error.
    await byTest(page, "support-issue-code").click();
    await expect.poll(textOf(page, "action-error"), POLL).toMatch(/overdue|default|standing/i);

    // What still works: emergency calls and the IMEI (*#06# on the dialer).
    await byTest(page, "open-emergency").click();
    await expect.poll(textOf(page, "phone-screen"), POLL).toMatch(/emergency/i);
    await byTest(page, "phone-back").click();
    await byTest(page, "open-imei").click();
    await byTest(page, "dialer-input").focus();
    await page.keyboard.type("*#06#");
    await expect.poll(textOf(page, "imei-text"), POLL).toMatch(/\d{15}/);
    await byTest(page, "phone-back").click();

    // The owner pays in the payment app; the payment waits for the sync, and the page says until when.
    await byTest(page, "open-payment-app").click();
    await byTest(page, "payment-pay").click();
    await expect.poll(textOf(page, "action-outcome"), POLL).toContain("paid");
    await byTest(page, "phone-back").click();
    const sync = byTest(page, "account-sync").first();
    await expect.poll(async () => (await sync.textContent()) ?? "", POLL).toMatch(/pending/i);
    await expect.poll(async () => (await sync.textContent()) ?? "", POLL).toMatch(/expected/i);
    await expect.poll(kindOf(page), POLL).toBe("locked");
    await session.screenshot("3-sync-pending");

    // Support refreshes the sync by hand: the account is in good standing again.
    await byTest(page, "support-refresh").click();
    await expect.poll(textOf(page, "action-outcome"), POLL).toContain("refreshed");
    await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/good/i);

    // Support issues a one-time code; the owner types it on the lock screen's keypad.
    await byTest(page, "support-issue-code").click();
    await expect.poll(textOf(page, "action-outcome"), POLL).toMatch(/unlock code \d{8}/);
    const code = /unlock code (\d{8})/.exec((await byTest(page, "action-outcome").textContent()) ?? "")?.[1] ?? "";
    await expect.poll(textOf(page, "codes-list"), POLL).toContain(code);
    await byTest(page, "open-keypad").click();
    await expect.poll(textOf(page, "keypad-attempts"), POLL).toContain("5");
    await byTest(page, "keypad-input").focus();
    await page.keyboard.type(code);
    await session.screenshot("4-keypad");
    await byTest(page, "keypad-submit").click();
    await expect.poll(textOf(page, "action-outcome"), POLL).toContain("accepted");

    // The phone restarts and returns to normal.
    await stepUntilScreen(page, "home");
    await expect.poll(textOf(page, "codes-list"), POLL).toMatch(/used/i);
    await expect.poll(textOf(page, "timeline-list"), POLL).toMatch(/unlock/i);
    await byTest(page, "diagram").locator("svg").waitFor({ state: "visible" });
    await session.screenshot("5-unlocked");

    expect(session.problems).toEqual([]);
  });

  it("plays a library scenario to its end, with its objectives, captions and checks", { timeout: 120_000 }, async (context) => {
    needBrowser(context);
    session = await openSession();
    const { page } = session;
    await page.goto(session.studio.openUrl);
    await byTest(page, "scenario-select").selectOption("missed-payment-lock");
    await expect.poll(textOf(page, "scenario-objectives"), POLL).toContain("next heartbeat");
    await byTest(page, "scenario-load").click();
    await expect.poll(textOf(page, "stage-title"), POLL).toContain("A missed payment locks the phone");

    await byTest(page, "speed").selectOption({ value: "86400" });
    await byTest(page, "play").click();
    await expect.poll(textOf(page, "caption"), { timeout: 20_000 }).not.toBe("");
    await byTest(page, "stage-finished").waitFor({ state: "visible", timeout: 60_000 });
    await expect.poll(textOf(page, "stage-finished"), POLL).toMatch(/passed/);
    await expect.poll(textOf(page, "verdicts"), POLL).not.toContain("✗");
    await expect.poll(kindOf(page), POLL).toBe("locked");
    await session.screenshot("6-scenario-finished");

    // The exports are real files of this run.
    const svg = await page.evaluate(async (path) => (await fetch(path)).text(), "/studio/export/diagram.svg");
    expect(svg).toContain("Lock service");
    expect(session.problems).toEqual([]);
  });
});
