import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterEach, describe, expect, it, type TestContext } from "vitest";
import { browserMissing, browserRequired, CHROMIUM, FLAGS } from "./browser/harness.ts";
import { startStudio, type RunningStudio } from "./start.ts";

/**
 * The attacks of issue 11 in a real Chromium: a page on a second origin (another port of this machine, and a
 * name that resolves to 127.0.0.1) tries to drive the studio the facilitator has open in the same browser.
 */
let studio: RunningStudio | undefined;
let browser: Browser | undefined;
let attacker: Server | undefined;
afterEach(async () => {
  await browser?.close();
  await studio?.close();
  await new Promise<void>((done) => (attacker ? attacker.close(() => done()) : done()));
  browser = undefined;
  studio = undefined;
  attacker = undefined;
});

function needBrowser(context: TestContext): void {
  if (browserMissing === undefined) return;
  if (browserRequired) throw new Error(`browser tests are required here, but ${browserMissing}`);
  context.skip(browserMissing);
}

/** The attacker's page: fires the no-cors requests of the issue at the studio, then reports what it could read. */
function attackPage(target: string): string {
  return `<!doctype html><meta charset="utf-8"><title>cute cats</title><script>
  const t = ${JSON.stringify(target)};
  const plain = { "content-type": "text/plain; application/json" };
  const results = [];
  async function go() {
    const tries = [
      ["act", { method: "POST", mode: "no-cors", credentials: "include", headers: plain, body: JSON.stringify({ do: "support.issue_code", device: "amara-phone" }) }],
      ["clock", { method: "POST", mode: "no-cors", credentials: "include", headers: plain, body: JSON.stringify({ op: "play", speed: 86400 }) }],
      ["act", { method: "POST", mode: "no-cors", credentials: "include", headers: plain, body: JSON.stringify({ do: "facilitator.fault", fault: "outage" }) }],
    ];
    for (const [path, init] of tries) { try { await fetch(t + "/studio/api/" + path, init); results.push("sent"); } catch (e) { results.push("error"); } }
    try { const r = await fetch(t + "/studio/api/state", { credentials: "include" }); results.push("read " + r.status); } catch (e) { results.push("unreadable"); }
    document.title = "done " + results.join(",");
  }
  go();
  </script>`;
}

describe("the studio under attack in a browser", () => {
  it("refuses CSRF from another origin and a rebinding Host, while the real page keeps working", { timeout: 60_000 }, async (context) => {
    needBrowser(context);
    studio = await startStudio({ seed: 7 });
    const studioPort = new URL(studio.url).port;
    attacker = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(attackPage(`http://127.0.0.1:${studioPort}`));
    });
    await new Promise<void>((done) => attacker?.listen(0, "127.0.0.1", () => done()));
    const attackerPort = (attacker.address() as AddressInfo).port;
    // attacker.test resolves to this machine, as a rebinding DNS answer would make it.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, "--host-resolver-rules=MAP attacker.test 127.0.0.1"] });
    const page = await (await browser.newContext()).newPage();

    // The facilitator opens the studio from the printed URL: the page loads and reads its state.
    const opened = await page.goto(studio.openUrl);
    expect(opened?.status()).toBe(200);
    expect(new URL(page.url()).search).toBe(""); // the token left the address bar
    const own = await page.evaluate(async () => (await fetch("/studio/api/state")).status);
    expect(own).toBe(200);
    const before = studio.hub.state();

    // Another origin on this machine (same site for cookies, another port) fires its no-cors requests.
    for (const origin of [`http://127.0.0.1:${attackerPort}`, `http://attacker.test:${attackerPort}`]) {
      await page.goto(`${origin}/`);
      await expect.poll(() => page.title(), { timeout: 15_000 }).toMatch(/^done /);
      expect(await page.title()).not.toContain("read 200");
    }
    const after = studio.hub.state();
    expect(after.codes).toEqual(before.codes);
    expect(after.faults).toEqual(before.faults);
    expect(after.clock.speed).toBe(before.clock.speed);

    // DNS rebinding: attacker.test now points at the studio's port; the page there cannot read the state.
    const rebound = await page.goto(`http://attacker.test:${studioPort}/studio/api/state`);
    expect(rebound?.status()).toBe(403);
    expect(await rebound?.text()).not.toContain('"codes"');
    const reboundPage = await page.goto(`http://attacker.test:${studioPort}/`);
    expect(reboundPage?.status()).toBe(403);

    // The facilitator's page still works.
    await page.goto(`${studio.url}/`);
    expect(await page.evaluate(async () => (await fetch("/studio/api/state")).status)).toBe(200);
  });
});
