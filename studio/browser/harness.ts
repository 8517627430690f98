import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStudio, type RunningStudio, type StudioOptions } from "../start.ts";
import { browserMissing, CHROMIUM, FLAGS } from "./chromium.ts";

export { browserMissing, CHROMIUM, FLAGS };
export const browserRequired = process.env.HEARTLOCK_REQUIRE_BROWSER === "1";

/** Screenshots of the main states, for people reviewing a change (git-ignored). */
export const ARTIFACTS = new URL("../../test-artifacts/studio/", import.meta.url);


/**
 * The studio's page address for a session: the ONE place a browser test builds it. The page itself ("/") is
 * opened with the token of the printed studio URL, which the server exchanges for the session cookie.
 */
export function studioPageUrl(studio: RunningStudio, path = "/"): string {
  const url = new URL(path, `${studio.url}/`);
  if (url.pathname === "/") url.searchParams.set("token", new URL(studio.openUrl).searchParams.get("token") ?? "");
  return url.toString();
}

/** Opens the studio's page (or another path of it) in the session's page, as a facilitator with the printed URL would. */
export async function openStudio(session: Session, path = "/"): Promise<void> {
  const target = studioPageUrl(session.studio, path);
  // Another page of the studio needs the session cookie first: the printed URL gives it.
  if (new URL(target).pathname !== "/") await session.page.goto(studioPageUrl(session.studio));
  await session.page.goto(target);
}

export interface Session {
  readonly studio: RunningStudio;
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and warnings, uncaught page errors, and requests that would have left the machine. */
  readonly problems: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh studio on a free loopback port, and a page on it that records anything that goes wrong. */
export async function openSession(options: StudioOptions = {}, viewport: { readonly width: number; readonly height: number } = { width: 1440, height: 900 }): Promise<Session> {
  const studio = await startStudio(options);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
    const page = await context.newPage();
    const problems: string[] = [];
    const origin = new URL(studio.url).origin;
    // Anything not from this server is refused and recorded: the studio must work with no network at all.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      problems.push(`off-machine request: ${url}`);
      return route.abort();
    });
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    mkdirSync(ARTIFACTS, { recursive: true });
    return {
      studio,
      browser,
      page,
      problems,
      screenshot: async (name) => void (await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: false })),
      close: async () => {
        await browser.close();
        await studio.close();
      },
    };
  } catch (error) {
    await browser.close();
    await studio.close();
    throw error;
  }
}

/** Without Chromium a browser test says why it did not run; in CI (HEARTLOCK_REQUIRE_BROWSER=1) that is a failure. */
export function needBrowser(context: { skip(note?: string): void }): void {
  if (browserMissing === undefined) return;
  if (browserRequired) throw new Error(`browser tests are required here, but ${browserMissing}`);
  context.skip(browserMissing);
}
