import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, type TestContext } from "vitest";
import { browserMissing, browserRequired } from "./browser/harness.ts";
import { testKeys } from "../mock-server/create.ts";
import { startStudio, type RunningStudio } from "./start.ts";

/**
 * The participants' handout, printed by Chromium: one page per key moment (and the diagram's page), none of
 * them blank. Pages are counted and rendered to PNG by poppler's pdfinfo and pdftoppm (Debian poppler-utils,
 * installed by .ci/run); a page is blank when all of its pixels are white.
 */
let studio: RunningStudio | undefined;
afterEach(async () => {
  await studio?.close();
  studio = undefined;
});

const poppler = (() => {
  try {
    execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function need(context: TestContext): void {
  const missing = browserMissing ?? (poppler ? undefined : "no pdftoppm (sudo apt-get install -y poppler-utils)");
  if (missing === undefined) return;
  if (browserRequired) throw new Error(`the handout test is required here, but ${missing}`);
  context.skip(missing);
}

/** A PPM (P6) image is blank when every byte of its pixels is white. */
function blank(ppm: Buffer): boolean {
  let newlines = 0;
  let offset = 0;
  while (newlines < 3 && offset < ppm.length) if (ppm[offset++] === 0x0a) newlines += 1;
  for (let i = offset; i < ppm.length; i++) if (ppm[i] !== 0xff) return false;
  return true;
}

describe("the handout", () => {
  it("is a PDF with one page per key moment of the story, then the diagram, and no page is blank", { timeout: 120_000 }, async (context) => {
    need(context);
    studio = await startStudio({ seed: 5 });
    const stage = studio.hub.stage;
    await stage.clock({ op: "step" });
    await stage.act({ do: "lender.default", account: "amara", amount: "50.00 EUR" });
    for (let i = 0; i < 4 && stage.current.run.world.journal.after(0).every((event) => event.type !== "command.issued"); i++) await stage.clock({ op: "step" });
    await stage.act({ do: "owner.pay", device: "amara-phone", amount: "50.00 EUR" });
    await stage.act({ do: "support.refresh", device: "amara-phone" });
    await stage.act({ do: "support.issue_code", device: "amara-phone" });
    await stage.act({ do: "owner.enter_code", device: "amara-phone" });
    await stage.clock({ op: "step" });
    const moments = stage.current.moments.length;
    expect(moments).toBeGreaterThanOrEqual(5);

    // A script reaches the studio's exports with the admin key (README "Security model").
    const answer = await fetch(`${studio.url}/studio/export/handout.pdf`, { headers: { authorization: `Bearer ${testKeys.admin}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/pdf");
    const dir = mkdtempSync(join(tmpdir(), "heartlock-handout-"));
    const file = join(dir, "handout.pdf");
    writeFileSync(file, Buffer.from(await answer.arrayBuffer()));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))?.[1]);
    expect(pages).toBe(moments + 1);

    execFileSync("pdftoppm", ["-r", "20", file, join(dir, "page")]);
    const images = readdirSync(dir).filter((name) => name.endsWith(".ppm"));
    expect(images).toHaveLength(pages);
    for (const image of images) expect(blank(readFileSync(join(dir, image))), image).toBe(false);
    // The words are there too: the lender's number on the lock screen's page.
    const html = await (await fetch(`${studio.url}/studio/handout`, { headers: { authorization: `Bearer ${testKeys.admin}` } })).text();
    expect(html).toContain("+4930123456789");
  });
});
