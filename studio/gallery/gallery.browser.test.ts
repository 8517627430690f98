import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, type TestContext } from "vitest";
import type { Io } from "../../cli/io.ts";
import { main } from "../../cli/main.ts";
import { galleryStates } from "../../copy/states.ts";
import { deckLocales } from "../../copy/decks.ts";
import { browserMissing, browserRequired, openSession, openStudio, type Session } from "../browser/harness.ts";

/**
 * The copy gallery, `heartlock copy lint`'s overflow check and the review sheet in Debian's Chromium, with
 * the studio's rules: no console error, no request off the machine. HEARTLOCK_COPY_BROWSER=0 skips them
 * (CI runs them once, on the main Node version).
 */
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

function needBrowser(context: TestContext): void {
  if (process.env.HEARTLOCK_COPY_BROWSER === "0") context.skip("HEARTLOCK_COPY_BROWSER=0");
  if (browserMissing === undefined) return;
  if (browserRequired) throw new Error(`browser tests are required here, but ${browserMissing}`);
  context.skip(browserMissing);
}

function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env: {}, writeFile: () => undefined };
  return main(args, io).then((code) => ({ code, stdout, stderr }));
}

describe("the copy gallery in a browser", () => {
  it("shows every state in every locale, mirrors right-to-left locales, marks drafts, and edits live", { timeout: 120_000 }, async (context) => {
    needBrowser(context);
    session = await openSession();
    const { page } = session;
    await openStudio(session);
    await page.getByTestId("gallery-link").click();
    await page.waitForFunction(() => window.heartlockGallery?.ready === true);
    const locales = deckLocales();
    await expect.poll(() => page.getByTestId("gallery-phone").count()).toBe(galleryStates.length * locales.length);
    expect(await page.locator('.gallery-phone[data-locale="ar"]').first().getAttribute("dir")).toBe("rtl");
    expect(await page.locator('.gallery-phone[data-locale="ar-XB"]').first().getAttribute("dir")).toBe("rtl");
    expect(await page.locator('.gallery-phone[data-locale="de"]').first().getAttribute("dir")).toBe("ltr");
    const marks = await page.getByTestId("review-mark").allTextContents();
    expect(marks.filter((mark) => mark === "Needs review by a native speaker")).toHaveLength(6);
    // What a screen reader says comes in the markup's order: the title before the body, buttons last.
    const said = await page.locator('.gallery-card:has(.gallery-phone[data-locale="en"][data-state="locked-offline"]) [data-testid=announced] li').allTextContents();
    expect(said.slice(0, 2)).toEqual(["region: Locked: offline, English", "heading: This phone is locked"]);
    expect(said.at(-1)).toMatch(/^button: Call /);
    await session.screenshot("gallery");

    // Editing a message updates every German state with that key at once.
    await page.getByTestId("edit-locale").selectOption("de");
    await page.getByTestId("edit-key").selectOption("locked.title");
    await page.getByTestId("edit-message").fill("Telefon gesperrt");
    const titles = await page.locator('.gallery-phone[data-locale="de"][data-state^="locked"] [data-copy-key="locked.title"]').allTextContents();
    expect(titles.length).toBeGreaterThanOrEqual(4);
    expect(new Set(titles)).toEqual(new Set(["Telefon gesperrt"]));
    // The edited deck downloads as copy/de.json would be written.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-deck").click()]);
    expect(download.suggestedFilename()).toBe("de.json");

    // The locale switcher hides and shows a locale's phones.
    await page.locator('[data-testid=locale-toggle][value="hi"]').uncheck();
    expect(await page.locator('.gallery-phone[data-locale="hi"]').count()).toBe(0);
    await page.locator('[data-testid=locale-toggle][value="hi"]').check();
    expect(await page.locator('.gallery-phone[data-locale="hi"]').count()).toBe(galleryStates.length);
    expect(session.problems).toEqual([]);
  });

  it("heartlock copy lint finds the 350-character German message overflowing the small phone, and exits 1", { timeout: 180_000 }, async (context) => {
    needBrowser(context);
    const { code, stdout } = await cli(["copy", "lint", "de", "--reporter", "json"]);
    const report = JSON.parse(stdout) as { overflowChecked: boolean; findings: { rule: string; state?: string; size?: string; scale?: number; severity: string; key?: string }[] };
    expect(report.overflowChecked).toBe(true);
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: "overflow", severity: "error", state: "locked-overdue", size: "small", scale: 100 }));
    expect(code).toBe(1);
  });

  it("heartlock copy sheet writes one PNG per state × locale, none blank, and a PDF contact sheet", { timeout: 240_000 }, async (context) => {
    needBrowser(context);
    const dir = mkdtempSync(join(tmpdir(), "heartlock-sheet-"));
    try {
      const { code } = await cli(["copy", "sheet", "--locale", "de,ar", "--out", join(dir, "review.pdf")]);
      expect(code).toBe(0);
      const pngs = readdirSync(dir).filter((name) => name.endsWith(".png"));
      expect(pngs).toHaveLength(galleryStates.length * 2);
      // A blank screenshot compresses to a few hundred bytes; a screen with words is many kilobytes.
      for (const name of pngs) expect(statSync(join(dir, name)).size, name).toBeGreaterThan(4000);
      expect(readFileSync(join(dir, "review.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
      expect(readFileSync(join(dir, "sheet.html"), "utf8")).toContain("locked.overdue.untranslated");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
