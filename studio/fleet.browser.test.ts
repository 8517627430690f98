import { afterEach, describe, expect, it } from "vitest";
import { needBrowser, openSession, openStudio, type Session } from "./browser/harness.ts";

/**
 * The studio with a thousand phones: the fleet scenario is loaded (fleet journal: routine heartbeats folded),
 * the clock jumps 30 days, and a page opened afterwards draws the fleet charts, with no console error and no
 * request off the machine; its phone picker finds one phone of the thousand by its account. The jump's time and
 * the welcome's size are printed for the record; the goals (<= 5 s, <= 1 MB) are measured by
 * `npm run bench -- studio`, not asserted by a timed test.
 *
 * A thousand phones for a month cost ~20 s on a shared 2-core machine (18 s measured at load ~5, 3 December),
 * and CI runs the suite on five Node versions, so this runs only with HEARTLOCK_FLEET_TEST=full (like the 30-day
 * fleet-mode comparison), which .ci/run sets for its main run: CI runs it once, locally it is opt-in.
 */
const wholeFleet = process.env["HEARTLOCK_FLEET_TEST"] === "full";
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});


describe("the studio with 1,000 phones", () => {
  it("loads the 1,000-phone stage, jumps 30 days, and draws the four fleet charts with no console error", async (context) => {
    if (!wholeFleet) context.skip("set HEARTLOCK_FLEET_TEST=full to run the 1,000-phone studio test (~20 s; CI's main run does)");
    needBrowser(context);
    session = await openSession({ speed: 0 });
    const { hub } = session.studio;
    await hub.stage.load("thousand-phones");
    expect(hub.state().devices.length).toBe(1000);
    const t0 = performance.now();
    await hub.stage.clock({ op: "jump", by: "P30D" });
    const jumpMs = performance.now() - t0;
    const welcomeBytes = hub.welcome().reduce((sum, message) => sum + message.data.length, 0);
    console.log(`1,000 phones: 30-day jump ${(jumpMs / 1000).toFixed(1)} s; welcome ${(welcomeBytes / 1024).toFixed(0)} KiB`);
    // The script finishes its last step in the background just after the jump returns.
    await expect.poll(() => hub.stage.current.run.done, { timeout: 30_000 }).toBe(true);

    const { page, problems } = session;
    // Through the printed URL's token, as every browser test opens the studio (the page needs the session).
    await openStudio(session);
    await page.getByTestId("charts-draw").click();
    await page.waitForSelector("[data-testid=fleet-charts][data-drawn]", { timeout: 30_000 });
    expect(await page.getByTestId("fleet-charts").getAttribute("data-drawn")).toBe("4");
    await expect(page.getByTestId("charts-status").innerText()).resolves.toMatch(/^1000 phones/);
    await expect(page.locator("[data-chart=payment-to-unlock] figcaption").innerText()).resolves.toMatch(/p50 [\d.]+ h/);
    await page.getByTestId("fleet-charts").scrollIntoViewIfNeeded();
    await session.screenshot("fleet-charts");

    // The phone picker over the whole fleet: an account narrows a thousand phones to its one, which is shown.
    await page.getByLabel("Find a phone").fill("acct-777");
    await expect.poll(async () => page.getByTestId("device-select").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), { timeout: 15_000 }).toEqual(["", "phone-777"]);
    await page.getByTestId("device-select").selectOption("phone-777");
    await expect.poll(async () => page.getByTestId("phone-identity").innerText(), { timeout: 15_000 }).toContain("account acct-777");
    expect(problems).toEqual([]);
  }, 900_000);
});
