import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { BusinessCalendar } from "../core/calendar.ts";
import { openSession, openStudio, type Session } from "./browser/harness.ts";
import { byTest, kindOf, needBrowser, POLL, stepUntilScreen, textOf } from "./browser/page-helpers.ts";

/**
 * The studio on a projector and in a workshop, in Chromium: the layout at projector sizes and on a phone,
 * presenter mode, and the README's workshop clicked step by step as written. The walkthrough runs at three
 * seed/start combinations by default (the API-level test in workshop.test.ts covers all 30);
 * HEARTLOCK_WORKSHOP_BROWSER=all clicks all 30 (10 seeds × 3 start hours).
 */
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/**
 * Whether the element (first with this test id) is wholly on screen: inside the viewport, below the sticky
 * header, and not clipped by a panel that scrolls.
 */
async function onScreen(page: Page, id: string): Promise<string> {
  return page.evaluate((testId) => {
    const element = document.querySelector(`[data-testid="${testId}"]`);
    if (!element) return `${testId}: missing`;
    const box = element.getBoundingClientRect();
    const header = document.getElementById("top")?.getBoundingClientRect();
    const problems: string[] = [];
    if (box.height === 0 || box.width === 0) problems.push("has no size");
    const inHeader = element.closest("#top") !== null;
    if (!inHeader && box.top < (header && getComputedStyle(document.getElementById("top") as Element).position === "sticky" ? header.bottom - 1 : 0)) problems.push(`top ${Math.round(box.top)} is under the header or above the screen`);
    if (box.bottom > innerHeight + 1 || box.right > innerWidth + 1 || box.left < -1) problems.push(`outside the ${innerWidth}×${innerHeight} viewport (${Math.round(box.left)},${Math.round(box.top)})–(${Math.round(box.right)},${Math.round(box.bottom)})`);
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (!/(auto|scroll|hidden)/.test(style.overflowY)) continue;
      const clip = parent.getBoundingClientRect();
      // A tall element (the diagram) need only show its newest part; a control must be whole.
      const partial = testId === "diagram" ? box.top < clip.bottom - 40 : box.top >= clip.top - 1 && box.bottom <= clip.bottom + 1;
      if (!partial) problems.push(`clipped by its scrolling panel (${parent.className})`);
    }
    return problems.length === 0 ? "" : `${testId}: ${problems.join("; ")}`;
  }, id);
}

/** What the script uses on a projector: the phone, the controls it presses, the account's standing and sync, the diagram. */
const PROJECTOR = ["phone-screen", "step", "jump-hour", "reset", "lender-default", "sync-fail", "support-refresh", "support-issue-code", "account-standing", "account-sync", "diagram", "guidance"];

describe("the studio on a projector", () => {
  for (const [width, height] of [
    [1024, 768],
    [1280, 720],
  ] as const) {
    it(`at ${width}×${height} shows the phone, the script's controls, the account's standing and sync and the diagram at once`, { timeout: 60_000 }, async (context) => {
      needBrowser(context);
      session = await openSession({}, { width, height });
      const { page } = session;
      await openStudio(session);
      await expect.poll(textOf(page, "clock-local"), POLL).toContain("Mon 2 Mar 2026, 09:00");
      await byTest(page, "step").click();
      await byTest(page, "diagram").locator("svg").first().waitFor({ state: "visible" });
      for (const id of PROJECTOR) expect(await onScreen(page, id)).toBe("");
      await session.screenshot(`projector-${width}x${height}`);

      // Presenter mode: larger type, and a header of at most 15 % of the height.
      await byTest(page, "presenter").click();
      const header = await page.evaluate(() => ({ height: document.getElementById("top")?.getBoundingClientRect().height ?? 0, font: getComputedStyle(document.documentElement).fontSize }));
      expect(header.height).toBeLessThanOrEqual(height * 0.15);
      expect(Number.parseFloat(header.font)).toBeGreaterThan(15);
      await session.screenshot(`presenter-${width}x${height}`);

      // Rewind with the scrubber: back to event 3, the page says so, and the story goes on from there.
      await byTest(page, "rewind-range").evaluate((input) => {
        (input as HTMLInputElement).value = "3";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      // The scrubber names the event it points at: its time and what happened, not a bare number.
      expect(await textOf(page, "rewind-which")()).toMatch(/^event 3 of \d+ · \S.* · \S/);
      await byTest(page, "rewind").click();
      await expect.poll(textOf(page, "guidance"), POLL).toMatch(/Rewound to event 3/);
      await byTest(page, "step").click();
      await expect.poll(textOf(page, "guidance"), POLL).toMatch(/Rewound to event 3: anything you do now starts a new branch/);
      expect(session.problems).toEqual([]);
    });
  }

  it("at 390×844 (a phone) the header covers none of the phone, wherever the page is scrolled", { timeout: 60_000 }, async (context) => {
    needBrowser(context);
    session = await openSession({}, { width: 390, height: 844 });
    const { page } = session;
    await openStudio(session);
    await byTest(page, "phone-screen").waitFor({ state: "visible" });
    for (const scroll of [0, 200, 400, 800]) {
      await page.evaluate((y) => window.scrollTo(0, y), scroll);
      const overlap = await page.evaluate(() => {
        const header = document.getElementById("top")?.getBoundingClientRect();
        const phone = document.querySelector(".phone-frame")?.getBoundingClientRect();
        if (!header || !phone) return "missing";
        return header.bottom > phone.top && header.top < phone.bottom ? `header ${Math.round(header.top)}–${Math.round(header.bottom)} covers the phone ${Math.round(phone.top)}–${Math.round(phone.bottom)}` : "";
      });
      expect(overlap, `scrolled to ${scroll}`).toBe("");
    }
    await session.screenshot("phone-390x844");
    expect(session.problems).toEqual([]);
  });
});

const STARTS = ["2026-03-02T09:00", "2026-03-06T16:00", "2026-03-06T22:30"];
const berlin = new BusinessCalendar({ timeZone: "Europe/Berlin" });
const COMBINATIONS =
  process.env.HEARTLOCK_WORKSHOP_BROWSER === "all"
    ? STARTS.flatMap((start) => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seed) => ({ seed, start })))
    : [
        { seed: 1, start: STARTS[0] ?? "" },
        { seed: 4, start: STARTS[1] ?? "" },
        { seed: 9, start: STARTS[2] ?? "" },
      ];

describe("the README's ten-minute workshop, clicked as written", () => {
  for (const { seed, start } of COMBINATIONS) {
    it(`works every step on seed ${seed}, starting ${start}`, { timeout: 120_000 }, async (context) => {
      needBrowser(context);
      session = await openSession({ seed, free: { start: berlin.localTime(start) } }, { width: 1280, height: 720 });
      const { page } = session;
      await openStudio(session);
      // Before they arrive: the free stage, paused, at 1 hour per second.
      await expect.poll(textOf(page, "clock-mode"), POLL).toContain("paused");
      await expect.poll(() => byTest(page, "speed").inputValue(), POLL).toBe("3600");

      // 1. The cast: Step until the home screen.
      await stepUntilScreen(page, "home");
      // 2. Nothing is pushed: Report missed installment (no grace); In default, the phone still works.
      await byTest(page, "lender-default").click();
      await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/default/i);
      expect(await kindOf(page)()).toBe("home");
      await expect.poll(textOf(page, "guidance"), POLL).toMatch(/next heartbeat/);
      // 3. The heartbeat: Step until the lock screen; who to contact, how much, what still works.
      await stepUntilScreen(page, "locked");
      await expect.poll(textOf(page, "phone-screen"), POLL).toContain("+4930123456789");
      await expect.poll(textOf(page, "phone-screen"), POLL).toMatch(/50[.,]00/);
      await expect.poll(textOf(page, "phone-screen"), POLL).toMatch(/emergency/i);
      // 4. Emergency call, back; Show IMEI and *#06#.
      await byTest(page, "open-emergency").click();
      await byTest(page, "phone-back").click();
      await byTest(page, "open-imei").click();
      await byTest(page, "dialer-input").fill("*#06#");
      await expect.poll(textOf(page, "imei-text"), POLL).toMatch(/\d{15}/);
      await byTest(page, "phone-back").click();
      // 5. Paying is not unlocking: pay; still In default; the sync pending — expected by …
      await byTest(page, "open-payment-app").click();
      await byTest(page, "payment-pay").click();
      await expect.poll(textOf(page, "action-outcome"), POLL).toContain("paid");
      await byTest(page, "phone-back").click();
      await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/default/i);
      await expect.poll(textOf(page, "account-sync"), POLL).toMatch(/pending.*expected by/i);
      // 6. When the sync breaks: Reset, report, step until locked, "the next sync only", Make the sync fail,
      //    pay, step on until the sync panel says failed: token update failed.
      await byTest(page, "reset").click();
      await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/good/i);
      await stepUntilScreen(page, "home");
      await byTest(page, "lender-default").click();
      await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/default/i);
      await stepUntilScreen(page, "locked");
      await byTest(page, "sync-for").selectOption("next");
      await byTest(page, "sync-fail").click();
      await expect.poll(textOf(page, "faults-list"), POLL).toMatch(/next attempt fails/);
      await byTest(page, "open-payment-app").click();
      await byTest(page, "payment-pay").click();
      await expect.poll(textOf(page, "action-outcome"), POLL).toContain("paid");
      await byTest(page, "phone-back").click();
      for (let i = 0; i < 12 && !/failed/i.test(await textOf(page, "account-sync")()); i++) {
        await byTest(page, "step").click();
        await page.waitForTimeout(200);
      }
      await expect.poll(textOf(page, "account-sync"), POLL).toMatch(/failed.*token update failed/i);
      expect(await kindOf(page)()).toBe("locked");
      // 7. Support: Refresh the sync now: the account is good. Issue an unlock code.
      await byTest(page, "support-refresh").click();
      await expect.poll(textOf(page, "account-standing"), POLL).toMatch(/good/i);
      await byTest(page, "support-issue-code").click();
      await expect.poll(textOf(page, "action-outcome"), POLL).toMatch(/unlock code \d{8}/);
      const code = /unlock code (\d{8})/.exec(await textOf(page, "action-outcome")())?.[1] ?? "";
      // 8. The keypad: Enter unlock code, the digits, submit: the phone restarts and returns to normal; the code is used.
      expect(await kindOf(page)()).toBe("locked");
      await byTest(page, "open-keypad").click();
      await byTest(page, "keypad-input").fill(code);
      await byTest(page, "keypad-submit").click();
      await expect.poll(textOf(page, "action-outcome"), POLL).toContain("accepted");
      await stepUntilScreen(page, "home", 3);
      await expect.poll(textOf(page, "codes-list"), POLL).toMatch(/used/i);
      // 9. Take it home: the two scenarios the README names are in the picker by those names.
      const picker = await byTest(page, "scenario-select").textContent();
      expect(picker).toContain('"I paid, but my phone is still locked"');
      expect(picker).toContain("Paid on Friday evening, unlocked on Monday morning");
      expect(session.problems).toEqual([]);
    });
  }
});
