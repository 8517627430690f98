import type { Page } from "playwright-core";
import { expect, type TestContext } from "vitest";
import { browserMissing, browserRequired } from "./harness.ts";

/** Without Chromium a browser test says why it did not run; in CI (HEARTLOCK_REQUIRE_BROWSER=1) that is a failure. */
export function needBrowser(context: TestContext): void {
  if (browserMissing === undefined) return;
  if (browserRequired) throw new Error(`browser tests are required here, but ${browserMissing}`);
  context.skip(browserMissing);
}

export const byTest = (page: Page, id: string) => page.getByTestId(id);
/** The text of the first element with this test id, for `expect.poll` (the page updates over SSE). */
export const textOf = (page: Page, id: string) => async () => (await byTest(page, id).first().textContent()) ?? "";
export const kindOf = (page: Page) => () => byTest(page, "phone-screen").getAttribute("data-kind");
export const POLL = { timeout: 15_000 };

/** Presses "step to the next event" until the phone shows `kind` (each press moves to the next notable event). */
export async function stepUntilScreen(page: Page, kind: string, presses = 20): Promise<void> {
  for (let i = 0; i < presses; i++) {
    if ((await byTest(page, "phone-screen").getAttribute("data-kind")) === kind) return;
    await byTest(page, "step").click();
    await page.waitForTimeout(150);
  }
  await expect.poll(kindOf(page), POLL).toBe(kind);
}
