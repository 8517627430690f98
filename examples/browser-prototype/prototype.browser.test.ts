import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { verifyResponse } from "../../client/index.ts";
import { browserMissing, browserRequired, CHROMIUM, FLAGS } from "../../studio/browser/harness.ts";
// @ts-expect-error -- a plain .mjs build script without types
import { buildPrototype } from "./build.mjs";

/**
 * The prototype as a UX team would open it: static files on loopback and NO Heartlock server. Every call to the
 * lock service is answered by heartlock/msw inside the page's service worker. Any request that leaves the page
 * (other than to its own origin, where the files and the worker script live), any console error or warning and
 * any page error fails the test.
 */
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".map": "application/json" };
let out: string;
let server: Server;
let origin: string;
let browser: Browser | undefined;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "heartlock-prototype-"));
  await buildPrototype(out);
  server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? "/", "http://x").pathname).replace(/^\/+/, "") || "index.html";
    readFile(join(out, path)).then(
      (body) => response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
  rmSync(out, { recursive: true, force: true });
});

function needBrowser(context: TestContext): void {
  if (browserMissing === undefined) return;
  if (browserRequired) throw new Error(`browser tests are required here, but ${browserMissing}`);
  context.skip(browserMissing);
}

describe("the browser prototype on heartlock/msw (Chromium, no Heartlock server)", () => {
  it("plays check-in, default, lock, payment, delayed sync, unlock code and unlocked, every heartbeat signature verified", async (context) => {
    needBrowser(context);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    const browserContext = await browser.newContext();
    const problems: string[] = [];
    // Requests the service worker does not answer itself reach this route too (Chromium routes worker fetches).
    await browserContext.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      problems.push(`request left the page: ${url}`);
      return route.abort();
    });
    const page = await browserContext.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));

    await page.goto(`${origin}/index.html`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 }).catch((error: unknown) => {
      throw new Error(`the prototype did not start: ${String(error)}\n${problems.join("\n")}`);
    });
    const phone = page.locator("#phone");
    await expect.poll(() => phone.getAttribute("data-state")).toBe("active");
    await expect.poll(() => page.locator("#heartbeats li").count()).toBe(1);

    // The lender reports the missed payment: the phone locks at its next heartbeat, naming who to call.
    await page.click("#report-default");
    await expect.poll(() => page.textContent("#standing")).toBe("default");
    await page.click("#heartbeat");
    await expect.poll(() => phone.getAttribute("data-state")).toBe("locked");
    expect(await page.textContent("#phone-contact")).toContain("+49301234567");

    // The payment reaches the lock service only through the sync, after its delay on the page's clock.
    await page.click("#record-payment");
    await expect.poll(() => page.textContent("#sync")).toMatch(/^pending/);
    await page.click("#heartbeat");
    await expect.poll(() => page.locator("#heartbeats li").count()).toBe(3);
    expect(await phone.getAttribute("data-state")).toBe("locked");
    await page.click("[data-advance=P3D]");
    await expect.poll(() => page.textContent("#standing")).toBe("good");
    expect(await page.textContent("#sync")).toBe("idle");

    // Support's code unlocks the phone at once; the next heartbeat agrees.
    await page.click("#issue-code");
    await expect.poll(() => page.textContent("#issued-code")).toMatch(/^code \d{8}$/);
    const code = ((await page.textContent("#issued-code")) ?? "").replace("code ", "");
    await page.fill("#unlock-code", code);
    await page.click("#unlock-submit");
    await expect.poll(() => phone.getAttribute("data-state")).toBe("active");
    await page.click("#heartbeat");
    await expect.poll(() => page.locator("#heartbeats li").count()).toBe(4);
    expect(await phone.getAttribute("data-state")).toBe("active");

    // Every answer verified in the page, and again here with the same secret.
    const seen = await page.evaluate(() => {
      const prototype = (window as unknown as { prototype: { heartbeats: { body: { signature: string }; verified: boolean }[]; secret(): string } }).prototype;
      return { heartbeats: prototype.heartbeats, secret: prototype.secret() };
    });
    expect(seen.heartbeats.map((h) => h.verified)).toEqual([true, true, true, true]);
    for (const { body } of seen.heartbeats) expect(verifyResponse(body, seen.secret)).toBe(true);
    expect(await page.locator("#heartbeats li.bad").count()).toBe(0);
    expect(problems).toEqual([]);
  }, 120_000);
});
