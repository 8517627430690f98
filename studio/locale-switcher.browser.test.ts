import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSession, openStudio, type Session } from "./browser/harness.ts";
import { byTest, needBrowser, POLL, stepUntilScreen, textOf } from "./browser/page-helpers.ts";

/**
 * The live studio's locale switcher, in Chromium: it previews the selected phone in any deck of copy/ (one a
 * user just copied in too), a right-to-left deck mirrors the phone frame, the phone's apps take every word
 * from the deck, and going back to "the phone's own language" shows the English the phone has all along.
 */
const SHIPPED = new URL("../copy/", import.meta.url);
const deck = (locale: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`${locale}.json`, SHIPPED), "utf8")) as Record<string, unknown>;
const message = (locale: string, key: string): string => {
  const entry = (deck(locale)["messages"] as Record<string, string | { message: string }>)[key];
  return typeof entry === "string" ? entry : (entry?.message ?? "");
};

let session: Session | undefined;
let dir: string | undefined;
const before = process.env.HEARTLOCK_COPY_DIR;
afterEach(async () => {
  await session?.close();
  session = undefined;
  if (before === undefined) delete process.env.HEARTLOCK_COPY_DIR;
  else process.env.HEARTLOCK_COPY_DIR = before;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the live studio's locale switcher", () => {
  it("previews the locked phone in every deck, a user's new one too, mirrored for Arabic, with the apps' words from the deck", { timeout: 120_000 }, async (context) => {
    needBrowser(context);
    // copy/ as a team would have it after copying a deck file for Dutch and translating two messages.
    dir = mkdtempSync(join(tmpdir(), "heartlock-copy-"));
    for (const name of readdirSync(SHIPPED)) if (name.endsWith(".json")) copyFileSync(new URL(name, SHIPPED), join(dir, name));
    const dutch = { locale: "nl", name: "Nederlands", dir: "ltr", review: { status: "needs-native-review" }, messages: { "locked.title": "Deze telefoon is vergrendeld", "keypad.submit": "Ontgrendelen" } };
    writeFileSync(join(dir, "nl.json"), JSON.stringify(dutch));
    process.env.HEARTLOCK_COPY_DIR = dir;

    session = await openSession();
    const { page } = session;
    await openStudio(session);
    await stepUntilScreen(page, "home");
    await byTest(page, "lender-default").click();
    await expect.poll(textOf(page, "action-outcome"), POLL).toContain("now default");
    await stepUntilScreen(page, "locked");
    await expect.poll(textOf(page, "phone-title"), POLL).toBe(message("en", "locked.title"));

    const switcher = byTest(page, "phone-locale");
    await expect.poll(async () => switcher.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), POLL).toEqual(
      expect.arrayContaining(["", "en", "ar", "de", "es", "hi", "pt-BR", "sw", "ar-XB", "en-XA", "nl"]),
    );
    const frame = page.locator(".phone-frame");

    // German: the same locked phone, worded by copy/de.json; a note says it is a preview.
    await switcher.selectOption("de");
    await expect.poll(textOf(page, "phone-title"), POLL).toBe(message("de", "locked.title"));
    await expect.poll(textOf(page, "open-payment-app"), POLL).toBe(message("de", "action.payment"));
    await expect.poll(() => frame.getAttribute("dir"), POLL).toBe("ltr");
    await expect.poll(textOf(page, "locale-preview"), POLL).toContain("Deutsch (de)");

    // Arabic: the frame is right to left, and so is what the browser lays out in it.
    await switcher.selectOption("ar");
    await expect.poll(textOf(page, "phone-title"), POLL).toBe(message("ar", "locked.title"));
    await expect.poll(() => frame.getAttribute("dir"), POLL).toBe("rtl");
    await expect.poll(() => frame.getAttribute("lang"), POLL).toMatch(/^ar/);
    expect(await byTest(page, "phone-title").evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    // Mirrored: the title's text starts at the right edge of the screen.
    const [title, screen] = await Promise.all([byTest(page, "phone-title").boundingBox(), byTest(page, "phone-screen").boundingBox()]);
    expect(title && screen && screen.x + screen.width - (title.x + title.width)).toBeLessThan(40);
    await session.screenshot("locale-ar-locked");

    // The keypad and the dialer speak the deck too.
    await byTest(page, "open-keypad").click();
    await expect.poll(textOf(page, "keypad-submit"), POLL).toBe(message("ar", "keypad.submit"));
    await expect.poll(async () => page.locator(".keypad-label").textContent(), POLL).toBe(message("ar", "keypad.codeLabel"));
    await byTest(page, "keypad-submit").click();
    await expect.poll(textOf(page, "keypad-message"), POLL).toContain("(");
    await byTest(page, "phone-back").click();
    await byTest(page, "open-emergency").click();
    await expect.poll(textOf(page, "dialer-call"), POLL).toBe(message("ar", "dialer.call"));
    await expect.poll(async () => page.locator(".dialer-app .app-title").textContent(), POLL).toBe(message("ar", "dialer.emergency.title"));
    await byTest(page, "dialer-call").click();
    await expect.poll(textOf(page, "dialer-status"), POLL).toContain("112");
    await byTest(page, "phone-back").click();
    await byTest(page, "open-payment-app").click();
    await expect.poll(async () => page.locator(".payment-app .app-title").textContent(), POLL).toBe(message("ar", "payment.title").replace("{lender}", "Acme Phone Finance"));
    await byTest(page, "phone-back").click();

    // The deck a user copied in: its own words, the source's where it has none yet.
    await switcher.selectOption("nl");
    await expect.poll(textOf(page, "phone-title"), POLL).toBe("Deze telefoon is vergrendeld");
    await expect.poll(() => frame.getAttribute("dir"), POLL).toBe("ltr");

    // Back to the phone's own language: the phone was English all along (the switcher changes only the view).
    await switcher.selectOption("");
    await expect.poll(textOf(page, "phone-title"), POLL).toBe(message("en", "locked.title"));
    await expect.poll(() => byTest(page, "locale-preview").isHidden(), POLL).toBe(true);
    await byTest(page, "open-keypad").click();
    await expect.poll(textOf(page, "keypad-submit"), POLL).toBe(message("en", "keypad.submit"));

    expect(session.problems).toEqual([]);
  });
});
