import type { JournalEvent } from "../core/journal.ts";
import type { LockScreen } from "../device-sim/lock-screen.ts";
import { narrate } from "../scenarios/report/narrate.ts";
import type { NameBook } from "../scenarios/report/names.ts";
import { localTime } from "../scenarios/report/time.ts";

/** The events a participant's handout stops at: the turns of the story, not its bookkeeping. */
const KEY_TYPES = new Set([
  "standing.changed",
  "device.state_changed",
  "sync.failed",
  "sync.completed",
  "payment.recorded",
  "unlock_code.issued",
  "device.unlocked_by_code",
  "device.offline_warning_shown",
]);

export function isKeyMoment(event: JournalEvent): boolean {
  return KEY_TYPES.has(event.type);
}

/** A key moment as it happened: the event, and every phone's screen just after it. */
export interface KeyMoment {
  readonly event: JournalEvent;
  readonly screens: readonly { readonly name: string; readonly screen: LockScreen }[];
}

export interface HandoutInput {
  readonly title: string;
  readonly summary: string;
  readonly objectives: readonly string[];
  readonly moments: readonly KeyMoment[];
  readonly names: NameBook;
  /** The whole sequence diagram, a standalone SVG document. */
  readonly diagramSvg: string;
}

/**
 * The participants' handout as a printable HTML document: one page per key moment (when, what happened in
 * words, and the phones' screens at that moment), then the sequence diagram on a page of its own. Chromium
 * prints it to PDF (studio/browser/pdf.ts); everything it shows is inline, so it loads nothing. Pure.
 */
export function handoutHtml(input: HandoutInput): string {
  const pages = input.moments.map((moment, i) => {
    const when = localTime(moment.event.at, input.names.timeZone);
    const screens = moment.screens.map(({ name, screen }) => phone(name, screen)).join("");
    const intro = i === 0 ? `<p class="summary">${text(input.summary)}</p><ul class="objectives">${input.objectives.map((o) => `<li>${text(o)}</li>`).join("")}</ul>` : "";
    return `<section class="page moment"><header><h1>${text(input.title)}</h1><p class="sim">A simulation: Heartlock — nothing real is locked.</p></header>${intro}<h2>${i + 1}. ${text(when)}</h2><p class="narration">${text(narrate(moment.event, input.names))}</p><div class="phones">${screens}</div></section>`;
  });
  const diagram = `<section class="page diagram"><h2>The whole story as a sequence diagram</h2><img alt="Sequence diagram of the run" src="data:image/svg+xml;base64,${Buffer.from(input.diagramSvg, "utf8").toString("base64")}"></section>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${text(input.title)} — handout</title><style>${STYLE}</style></head><body>${pages.join("")}${diagram}</body></html>`;
}

function phone(name: string, screen: LockScreen): string {
  const contact = screen.contact ? `<p class="contact">${text([screen.contact.phone, screen.contact.email].filter(Boolean).join(" · "))}</p>` : "";
  const notice = screen.notice ? `<p class="notice">${text(screen.notice)}</p>` : "";
  return `<figure class="phone kind-${text(screen.kind)}"><figcaption>${text(name)}</figcaption><div class="screen"><p class="title">${text(screen.title)}</p><p class="body">${text(screen.body)}</p>${notice}${contact}</div></figure>`;
}

function text(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const STYLE = `
  body { font: 12pt/1.4 system-ui, sans-serif; color: #111827; margin: 0; }
  .page { break-after: page; page-break-after: always; height: 170mm; overflow: hidden; }
  .page:last-child { break-after: auto; page-break-after: auto; }
  header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #1d4ed8; margin-bottom: 6mm; }
  h1 { font-size: 15pt; margin: 0 0 2mm; }
  h2 { font-size: 14pt; margin: 2mm 0; }
  .sim { color: #4b5563; font-size: 10pt; margin: 0; }
  .summary { margin: 0 0 2mm; }
  .objectives { margin: 0 0 4mm; font-size: 10.5pt; }
  .narration { font-size: 13pt; border-left: 4px solid #f59e0b; padding-left: 3mm; }
  .phones { display: flex; gap: 8mm; }
  .phone { margin: 0; width: 62mm; }
  .phone figcaption { font-weight: 600; margin-bottom: 1mm; }
  .screen { background: #1e3a8a; color: #ffffff; border: 3mm solid #111827; border-radius: 6mm; padding: 4mm; min-height: 80mm; }
  .kind-locked .screen { background: #7f1d1d; }
  .kind-restarting .screen { background: #374151; }
  .title { font-weight: 700; font-size: 13pt; margin: 0 0 2mm; }
  .body, .notice, .contact { font-size: 9.5pt; margin: 0 0 2mm; }
  .notice { background: #fef3c7; color: #78350f; padding: 1mm 2mm; border-radius: 1mm; }
  .diagram img { max-width: 100%; max-height: 150mm; }
`;
