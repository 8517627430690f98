import { afterEach, describe, expect, it } from "vitest";
import { openSession, openStudio, type Session } from "./browser/harness.ts";
import { byTest, needBrowser, POLL, textOf } from "./browser/page-helpers.ts";

/**
 * The phone picker on a stage of many phones, in Chromium: the 50-phone fleet library scenario is loaded, and
 * typing part of an account, an IMEI or a name in "Find a phone" narrows the phone select to the phones that
 * match; choosing one (or Enter in the search) shows that phone, Escape brings the whole list back. All by
 * keyboard, with no console error.
 */
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

const optionValues = (session: Session) => async () => byTest(session.page, "device-select").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));

describe("the studio's phone picker", () => {
  it("narrows the phones as one types an account, an IMEI or a name, and shows the one chosen", { timeout: 120_000 }, async (context) => {
    needBrowser(context);
    session = await openSession();
    await session.studio.hub.stage.load("fleet-of-phones");
    const devices = session.studio.hub.state().devices;
    expect(devices).toHaveLength(50);
    const { page, problems } = session;
    await openStudio(session);
    await expect.poll(async () => (await optionValues(session as Session)()).length, POLL).toBe(50);

    // The search has a label, so it is reachable by its name; an account narrows the list to its phone.
    const search = page.getByLabel("Find a phone");
    await search.focus();
    await page.keyboard.type("shop-42");
    await expect.poll(optionValues(session), POLL).toEqual(["", "fleet-42"]);
    await expect.poll(textOf(page, "device-search-status"), POLL).toBe("1 of 50 phones");
    // The phone on screen stays until another is chosen.
    await expect.poll(textOf(page, "phone-identity"), POLL).toMatch(/^fleet-1 /);
    await byTest(page, "device-select").selectOption("fleet-42");
    await expect.poll(textOf(page, "phone-identity"), POLL).toContain("account shop-42");
    await expect.poll(optionValues(session), POLL).toEqual(["fleet-42"]);

    // Part of an IMEI: the last digits of fleet-13's; Enter shows the first match.
    const imei = devices.find((device) => device.name === "fleet-13")?.imei ?? "";
    await search.fill("");
    await search.focus();
    await page.keyboard.type(imei.slice(-7));
    await expect.poll(optionValues(session), POLL).toContain("fleet-13");
    await expect.poll(async () => (await optionValues(session as Session)()).length, POLL).toBeLessThan(10);
    await expect.poll(async () => byTest(page, "device-select").locator("option", { hasText: imei }).count(), POLL).toBeGreaterThan(0);
    await search.fill("fleet-13");
    await page.keyboard.press("Enter");
    await expect.poll(textOf(page, "phone-identity"), POLL).toMatch(/^fleet-13 /);

    // Several words must all match; none matching says so; Escape brings all fifty back.
    await search.fill("galaxy shop-7");
    await expect.poll(optionValues(session), POLL).toEqual(["", "fleet-7"]);
    await search.fill("no such phone");
    await expect.poll(textOf(page, "device-search-status"), POLL).toBe("0 of 50 phones");
    await expect.poll(async () => byTest(page, "device-select").locator("option").first().textContent(), POLL).toBe("No phone matches");
    await page.keyboard.press("Escape");
    await expect.poll(async () => (await optionValues(session as Session)()).length, POLL).toBe(50);
    await expect.poll(textOf(page, "phone-identity"), POLL).toMatch(/^fleet-13 /);
    await session.screenshot("phone-picker");
    expect(problems).toEqual([]);
  });
});
