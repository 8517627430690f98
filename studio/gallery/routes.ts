import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleOf, PAGE_SCRIPTS } from "../bundle.ts";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Deck } from "../../copy/deck.ts";
import { DeckFileError, copyDir, deckFile, loadDecks, saveDeckFile, unsavedReason } from "../../copy/decks.ts";
import { reloadDecks } from "../../copy/library.ts";
import { isJsonContentType } from "../../mock-server/http/limits.ts";
import { galleryPage } from "./page.ts";

/** The copy gallery's routes, mounted by the studio (and served alone by `heartlock copy lint/sheet`). */
export const GALLERY_ROUTES = {
  page: "/gallery",
  script: "/studio/gallery.js",
  style: "/studio/gallery.css",
  /** GET: every deck in copy/ ({ decks: Deck[] }); PUT …/<locale>: save one (the gallery's Save). */
  decks: "/studio/api/copy",
} as const;

const galleryBundle = (): Promise<string> => bundleOf(PAGE_SCRIPTS.gallery);

export interface GalleryOptions {
  /** Where decks are read and saved; copy/ by default. */
  readonly dir?: URL;
  /** False: the page offers Download only (the sheet and lint never write). */
  readonly allowSave?: boolean;
}

export function mountGallery(app: Hono, options: GalleryOptions = {}): void {
  const dir = options.dir ?? copyDir();
  const unsaved = options.allowSave === false ? "this gallery does not save decks; download the file instead" : unsavedReason(dir);
  const allowSave = unsaved === undefined;
  app.get(GALLERY_ROUTES.page, (c) => c.html(galleryPage()));
  app.get(GALLERY_ROUTES.script, async (c) => c.body(await galleryBundle(), 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }));
  app.get(GALLERY_ROUTES.style, (c) =>
    c.body(readFileSync(new URL("../assets/studio.css", import.meta.url), "utf8") + readFileSync(new URL("./gallery.css", import.meta.url), "utf8"), 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "no-cache",
    }),
  );
  app.get(GALLERY_ROUTES.decks, (c) => {
    try {
      return c.json({ allowSave, decks: [...loadDecks(dir).values()] });
    } catch (error) {
      return c.json(problem(422, error instanceof Error ? error.message : String(error)), 422, { "content-type": "application/problem+json" });
    }
  });
  app.put(`${GALLERY_ROUTES.decks}/:locale`, bodyLimit({ maxSize: 512 * 1024, onError: (c) => c.json(problem(413, "a deck may be at most 512 KiB"), 413, { "content-type": "application/problem+json" }) }), async (c) => {
    if (unsaved !== undefined) return c.json(problem(403, unsaved), 403, { "content-type": "application/problem+json" });
    if (!isJsonContentType(c.req.header("content-type"))) return c.json(problem(415, "send the deck as application/json"), 415, { "content-type": "application/problem+json" });
    const locale = c.req.param("locale");
    let body: unknown;
    try {
      body = await c.req.json();
      deckFile(locale, dir);
    } catch (error) {
      return c.json(problem(400, error instanceof DeckFileError ? error.message : "the body is not JSON"), 400, { "content-type": "application/problem+json" });
    }
    const parsed = Deck.safeParse(body);
    if (!parsed.success || parsed.data.locale !== locale) {
      const issue = parsed.success ? undefined : parsed.error.issues[0];
      return c.json(problem(422, issue ? `${issue.path.join(".")}: ${issue.message}` : `the deck's locale must be ${locale}`), 422, { "content-type": "application/problem+json" });
    }
    const file = saveDeckFile(body, dir);
    reloadDecks();
    // Where it went, as the writer would find it: relative to where the server was started when it is inside.
    const path = relative(process.cwd(), fileURLToPath(file));
    return c.json({ saved: path.startsWith("..") || isAbsolute(path) ? fileURLToPath(file) : path });
  });
}

function problem(status: number, detail: string) {
  return { type: "about:blank", title: status === 422 ? "Invalid deck" : "Refused", status, detail };
}
