import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { openGallery } from "../studio/gallery/browse.ts";
import { messageOf, sourceEntry } from "./deck.ts";
import { loadDecks, SOURCE_LOCALE } from "./decks.ts";
import { lintDeck, type Finding } from "./lint.ts";
import { galleryStates } from "./states.ts";

/**
 * The review sheet for legal and compliance reviewers: one PNG per state × locale (the small phone, 100 %),
 * and a contact sheet (HTML, printed to PDF by Chromium) with, beside each screenshot, every key on that
 * screen, its message source, its variables, the deck's review mark and the lint findings.
 */
export interface SheetResult {
  readonly pngs: readonly string[];
  readonly html: string;
  readonly pdf: string;
}

export async function writeSheet(options: { locales: readonly string[]; dir: string; pdf: string }): Promise<SheetResult> {
  const decks = loadDecks();
  const source = decks.get(SOURCE_LOCALE);
  if (!source) throw new Error("copy/en.json is missing");
  const gallery = await openGallery({ viewport: { width: 1400, height: 900 } });
  const pngs: string[] = [];
  const rows: string[] = [];
  try {
    await gallery.open({ locales: options.locales.join(","), sizes: "small", scales: "100", bare: "1" });
    const overflow = await gallery.overflow();
    for (const locale of options.locales) {
      const deck = decks.get(locale);
      if (!deck) continue;
      const findings = [...lintDeck(deck, source), ...overflow.filter((f) => f.locale === locale)];
      for (const state of galleryStates) {
        const phone = gallery.page.locator(`.gallery-phone[data-locale="${locale}"][data-state="${state.id}"]`);
        const file = join(options.dir, `${locale}--${state.id}.png`);
        await phone.screenshot({ path: file, animations: "disabled" });
        pngs.push(file);
        const keys = await phone.evaluate((element) => [...new Set([...element.querySelectorAll<HTMLElement>("[data-copy-key]")].map((e) => e.dataset["copyKey"] ?? ""))]);
        const here = (key: string): Finding[] => findings.filter((f) => f.key === key && (f.state === undefined || f.state === state.id));
        const keyRows = keys
          .map((key) => {
            const variables = sourceEntry(source, key)?.variables;
            return `<tr><td><code>${esc(key)}</code></td><td>${esc(key === "lender.message" ? "(the lender's own message)" : messageOf(deck, key) ?? "(missing: English shown)")}</td><td>${esc(variables ? Object.keys(variables).map((v) => `{${v}}`).join(" ") : "")}</td><td>${here(key).map((f) => `<span class="${f.severity}">${esc(`${f.rule}: ${f.message}`)}</span>`).join("<br>")}</td></tr>`;
          })
          .join("");
        rows.push(
          `<section class="row"><img src="${basename(file)}" alt="${esc(`${state.name}, ${deck.name}`)}"><div><h2>${esc(state.name)} · ${esc(deck.name)} (${esc(locale)})</h2><p class="mark">${esc(deck.review.status)}${deck.review.note ? ` — ${esc(deck.review.note)}` : ""}</p><table><thead><tr><th>Key</th><th>Message (ICU)</th><th>Variables</th><th>Lint</th></tr></thead><tbody>${keyRows}</tbody></table></div></section>`,
        );
      }
    }
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Heartlock copy review sheet</title><style>
body{font-family:system-ui,sans-serif;font-size:9pt;margin:12mm}h1{font-size:14pt}.row{display:flex;gap:8mm;break-inside:avoid;margin-bottom:6mm;border-bottom:1px solid #ccc;padding-bottom:4mm}
.row img{width:60mm;height:auto;border:1px solid #999}h2{font-size:10pt;margin:0 0 1mm}.mark{margin:0 0 2mm;color:#78350f}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:1mm;vertical-align:top;text-align:start}
.error{color:#991b1b}.warning{color:#92400e}code{font-size:8pt}</style></head><body><h1>Heartlock copy review sheet</h1><p>${options.locales.length} locale(s) × ${galleryStates.length} states, small phone (360×640) at 100 %, with stress values.</p>${rows.join("")}</body></html>`;
    const htmlFile = join(options.dir, "sheet.html");
    writeFileSync(htmlFile, html);
    // The PDF carries its images inline, so it can be sent on its own.
    const inline = html.replace(/<img src="([^"]+)"/g, (_whole, name: string) => `<img src="data:image/png;base64,${readFileSync(join(options.dir, name)).toString("base64")}"`);
    await gallery.page.setContent(inline, { waitUntil: "load" });
    await gallery.page.pdf({ path: options.pdf, format: "A4", printBackground: true });
    return { pngs, html: htmlFile, pdf: options.pdf };
  } finally {
    await gallery.close();
  }
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
