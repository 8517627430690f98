import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CHROMIUM, needBrowser } from "../../../studio/browser/harness.ts";
import { runScenario } from "../../run-scenario.ts";
import { html } from "./html.ts";

const ARTIFACTS = new URL("../../../test-artifacts/report/", import.meta.url);


describe("the HTML report in Chromium", () => {
  it("opens from a file with every request refused, draws the four fleet charts, and logs no console error", async (context) => {
    needBrowser(context);
    const result = await runScenario("fleet-of-phones", { transport: "direct", journal: "fleet" });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = new URL("fleet-of-phones.html", ARTIFACTS);
    writeFileSync(file, html([result], {}));

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
    try {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
      const page = await context.newPage();
      const problems: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url === pathToFileURL(file.pathname).href) return route.continue();
        problems.push(`request: ${url}`);
        return route.abort();
      });
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      await page.goto(pathToFileURL(file.pathname).href);
      await page.waitForSelector("#charts-0[data-drawn]");
      expect(await page.locator("#charts-0 .fleet-chart").evaluateAll((boxes) => boxes.map((box) => (box as HTMLElement).dataset.chart))).toEqual([
        "states",
        "per-day",
        "sync-delay",
        "payment-to-unlock",
      ]);
      expect(Number(await page.locator("#charts-0").getAttribute("data-drawn"))).toBe(4);
      // The legend names the states the fleet was in, and the payment chart reads its percentiles.
      await expect(page.locator("[data-chart=states] .u-legend").innerText()).resolves.toMatch(/active[\s\S]*locked/);
      await expect(page.locator("[data-chart=payment-to-unlock] figcaption").innerText()).resolves.toMatch(/p50 [\d.]+ h, p90 [\d.]+ h, max [\d.]+ h/);
      await page.screenshot({ path: new URL("fleet-of-phones.png", ARTIFACTS).pathname, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
