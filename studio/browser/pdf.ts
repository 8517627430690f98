import { browserMissing, CHROMIUM, FLAGS } from "./chromium.ts";

export class NoBrowser extends Error {}

/**
 * Prints an HTML document to PDF in Debian's Chromium (playwright-core's page.pdf), with nothing allowed off
 * the machine: the document carries everything it shows. playwright-core is loaded only when asked for.
 */
export async function printPdf(html: string): Promise<Uint8Array> {
  if (browserMissing !== undefined) throw new NoBrowser(browserMissing);
  // A dev dependency: an installed package without it prints no PDF (503) rather than failing (500).
  const { chromium } = await import("playwright-core").catch(() => {
    throw new NoBrowser("playwright-core is not installed (npm install playwright-core)");
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const context = await browser.newContext();
    await context.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    return await page.pdf({ format: "A4", landscape: true, printBackground: true, margin: { top: "12mm", bottom: "12mm", left: "12mm", right: "12mm" } });
  } finally {
    await browser.close();
  }
}
