import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { cloneDecks, unsavedReason } from "../../copy/decks.ts";
import { GALLERY_ROUTES, mountGallery } from "./routes.ts";

/** The gallery's Save (PUT /studio/api/copy/<locale>): what it writes, and every way it refuses without writing. */
const folder = mkdtempSync(join(tmpdir(), "heartlock-gallery-save-"));
for (const locale of ["en", "de"]) copyFileSync(new URL(`../../copy/${locale}.json`, import.meta.url), join(folder, `${locale}.json`));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const dir = pathToFileURL(`${folder}/`);
const saving = new Hono();
mountGallery(saving, { dir });
const readOnly = new Hono();
mountGallery(readOnly, { dir, allowSave: false });

const german = () => JSON.parse(readFileSync(join(folder, "de.json"), "utf8")) as { locale: string; messages: Record<string, string> };
const put = async (app: Hono, locale: string, body: string, type = "application/json"): Promise<Response> =>
  app.request(`${GALLERY_ROUTES.decks}/${locale}`, { method: "PUT", headers: { "content-type": type }, body });

describe("the gallery's Save to copy/", () => {
  it("writes the edited deck into the folder and answers where", async () => {
    const deck = german();
    deck.messages["lender.unnamed"] = "Ihre Finanzierungsbank";
    const answer = await put(saving, "de", JSON.stringify(deck));
    expect(answer.status).toBe(200);
    await expect(answer.json()).resolves.toEqual({ saved: join(folder, "de.json") });
    expect(german().messages["lender.unnamed"]).toBe("Ihre Finanzierungsbank");
  });

  it("refuses, as problem+json and writing nothing: another content type, a deck of another locale, a bad locale tag, an invalid deck, a deck too big, a read-only gallery", async () => {
    const before = readFileSync(join(folder, "de.json"), "utf8");
    const deck = german();
    const cases: [string, Promise<Response>, number][] = [
      ["text/plain", put(saving, "de", JSON.stringify(deck), "text/plain"), 415],
      ["application/jsonp", put(saving, "de", JSON.stringify(deck), "application/jsonp"), 415],
      ["the German deck saved as es", put(saving, "es", JSON.stringify(deck)), 422],
      ["not a locale tag", put(saving, "de..x", JSON.stringify(deck)), 400],
      ["not JSON", put(saving, "de", "{"), 400],
      ["no messages", put(saving, "de", JSON.stringify({ ...deck, messages: 7 })), 422],
      ["over 512 KiB", put(saving, "de", JSON.stringify({ ...deck, pad: "x".repeat(600 * 1024) })), 413],
      ["a read-only gallery", put(readOnly, "de", JSON.stringify(deck)), 403],
    ];
    for (const [why, pending, status] of cases) {
      const answer = await pending;
      expect([why, answer.status]).toEqual([why, status]);
      expect(answer.headers.get("content-type"), why).toContain("application/problem+json");
    }
    expect(readFileSync(join(folder, "de.json"), "utf8")).toBe(before);
    expect(existsSync(join(folder, "es.json"))).toBe(false);
  });
});

describe("where the built code keeps the decks", () => {
  const layout = mkdtempSync(join(tmpdir(), "heartlock-decks-layout-"));
  afterAll(() => rmSync(layout, { recursive: true, force: true }));
  const shipped = pathToFileURL(join(layout, "pkg", "dist", "copy") + "/");

  it("in a clone, reads and saves the project's own copy/, which a build does not delete", () => {
    mkdirSync(join(layout, "pkg", "dist", "copy"), { recursive: true });
    mkdirSync(join(layout, "pkg", "copy"), { recursive: true });
    for (const file of ["en.json", "decks.ts"]) writeFileSync(join(layout, "pkg", "copy", file), "{}");
    const clone = pathToFileURL(join(layout, "pkg", "copy") + "/");
    expect(cloneDecks(shipped)?.href).toBe(clone.href);
    expect(unsavedReason(clone, shipped)).toBeUndefined();
    expect(unsavedReason(shipped, shipped)).toMatch(/^dist\/copy\/ is rebuilt .* save into the clone's copy\//);
  });

  it("installed (no copy/ beside dist/), refuses to save into node_modules and says where to save instead", () => {
    rmSync(join(layout, "pkg", "copy"), { recursive: true, force: true });
    expect(cloneDecks(shipped)).toBeUndefined();
    expect(unsavedReason(shipped, shipped)).toMatch(/installed package ships .* HEARTLOCK_COPY_DIR/);
    expect(unsavedReason(pathToFileURL(`${folder}/`), shipped)).toBeUndefined();
  });

  it("running from the sources, copy/ is the decks themselves", () => {
    expect(cloneDecks(new URL("../../copy/", import.meta.url))).toBeUndefined();
  });
});
