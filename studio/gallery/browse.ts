import { Hono } from "hono";
import { chromium, type Browser, type Page } from "playwright-core";
import { startServer, type RunningServer } from "../../mock-server/http/node-server.ts";
import { CHROMIUM, FLAGS } from "../browser/harness.ts";
import type { Finding } from "../../copy/lint.ts";
import { GALLERY_ROUTES, mountGallery } from "./routes.ts";

/**
 * The gallery on its own loopback server, opened in Debian's Chromium: what `heartlock copy lint` measures
 * overflow in and `heartlock copy sheet` photographs. Nothing leaves the machine (other requests are refused).
 */
export interface GalleryBrowser {
  readonly page: Page;
  readonly url: string;
  /** Opens the gallery with a query (locales, sizes, scales, states, bare) and waits until it has drawn. */
  open(query: Record<string, string>): Promise<void>;
  overflow(): Promise<Finding[]>;
  close(): Promise<void>;
}

export async function openGallery(options: { dir?: URL; viewport?: { width: number; height: number } } = {}): Promise<GalleryBrowser> {
  const app = new Hono();
  mountGallery(app, { ...(options.dir ? { dir: options.dir } : {}), allowSave: false });
  const server: RunningServer = await startServer(app, { host: "127.0.0.1", port: 0 });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1600, height: 1000 }, reducedMotion: "reduce" });
    const origin = new URL(server.url).origin;
    await context.route("**/*", (route) => (route.request().url().startsWith(`${origin}/`) || route.request().url().startsWith("data:") || route.request().url().startsWith("blob:") ? route.continue() : route.abort()));
    const page = await context.newPage();
    const opened = browser;
    return {
      page,
      url: server.url,
      open: async (query) => {
        await page.goto(`${origin}${GALLERY_ROUTES.page}?${new URLSearchParams(query).toString()}`);
        await page.waitForFunction(() => window.heartlockGallery?.ready === true, undefined, { timeout: 30_000 });
      },
      overflow: () => page.evaluate(() => window.heartlockGallery?.overflow() ?? []),
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
