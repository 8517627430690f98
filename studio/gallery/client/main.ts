import type { Deck } from "../../../copy/deck.ts";
import { messageOf, sourceEntry } from "../../../copy/deck.ts";
import { copywriter, type Copywriter } from "../../../copy/format.ts";
import { lintDeck, type Finding } from "../../../copy/lint.ts";
import { screenText } from "../../../copy/screen-text.ts";
import { appText } from "../../../copy/app-text.ts";
import { galleryStates, STATE_TIME_ZONE, type GalleryState } from "../../../copy/states.ts";
import { append, h, setText } from "../../client/dom.ts";
import { announcements, screenContent } from "../../client/phone-screen.ts";
import { measureOverflow } from "./overflow.ts";

/**
 * The copy gallery: every state × locale (× size × font scale when the URL asks, as the overflow lint does)
 * drawn by the studio's phone-screen component from the decks in copy/. Editing a message re-renders every
 * state of that locale at once; Save writes the deck file back, Download gives it as a file.
 */
export const SIZES: Readonly<Record<string, readonly [number, number]>> = { small: [360, 640], medium: [412, 915], large: [480, 1040] };
export const SCALES = [100, 130, 200] as const;

interface View {
  locales: string[];
  sizes: string[];
  scales: number[];
  states: string[];
  bare: boolean;
}

declare global {
  interface Window {
    heartlockGallery?: { ready: boolean; overflow(): Finding[]; lint(): Finding[] };
  }
}

const root = document.getElementById("gallery") as HTMLElement;
const params = new URLSearchParams(location.search);
const list = (name: string): string[] | undefined => params.get(name)?.split(",").filter(Boolean);

async function start(): Promise<void> {
  const response = await fetch("/studio/api/copy");
  // A refusal (no session: the page was opened without the studio's link) is said as the server says it.
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { detail?: string }).detail ?? `the decks could not be read (${response.status})`);
  const answer = (await response.json()) as { allowSave: boolean; decks: Deck[] };
  const decks = new Map(answer.decks.map((deck) => [deck.locale, deck]));
  const found = decks.get("en");
  if (!found) throw new Error("copy/en.json is missing");
  const source: Deck = found;
  const view: View = {
    locales: list("locales") ?? [...decks.keys()],
    sizes: list("sizes") ?? ["small"],
    scales: (list("scales") ?? ["100"]).map(Number),
    states: list("states") ?? galleryStates.map((state) => state.id),
    bare: params.get("bare") === "1",
  };
  const writers = new Map<string, Copywriter>();
  const writer = (locale: string): Copywriter => {
    let w = writers.get(locale);
    if (!w) {
      w = copywriter(decks.get(locale) ?? source, source);
      writers.set(locale, w);
    }
    return w;
  };

  const grid = h("div", { class: "gallery-sections", "data-testid": "gallery-grid" });
  const lintList = h("ul", { class: "lint-list", "data-testid": "lint-list", "aria-live": "polite" });
  const sections = new Map<string, HTMLElement>();

  const drawLocale = (locale: string): void => {
    const deck = decks.get(locale);
    if (!deck) return;
    const copy = writer(locale);
    const section = h(
      "section",
      { class: "gallery-section", "data-locale": locale, "aria-labelledby": `locale-${locale}` },
      h(
        "h2",
        { class: "gallery-locale", id: `locale-${locale}` },
        `${deck.name} (${locale})`,
        h("span", { class: "review-mark", "data-testid": "review-mark", "data-status": deck.review.status }, reviewLabel(deck.review.status)),
      ),
    );
    const cards = h("div", { class: "gallery-grid" });
    for (const size of view.sizes) for (const scale of view.scales) for (const state of galleryStates.filter((s) => view.states.includes(s.id))) cards.append(card(state, copy, size, scale, view.bare));
    section.append(cards);
    const old = sections.get(locale);
    if (old) old.replaceWith(section);
    else grid.append(section);
    sections.set(locale, section);
  };

  const staticLint = (): Finding[] => view.locales.flatMap((locale) => (decks.get(locale) ? lintDeck(decks.get(locale) as Deck, source) : []));
  const showLint = (findings: readonly Finding[]): void => {
    lintList.replaceChildren(
      ...(findings.length ? findings : [{ locale: "", rule: "deck", severity: "warning", message: "No findings." } as Finding]).map((f) =>
        h("li", { class: f.severity }, [f.locale, f.key, f.state, f.size && `${f.size} @ ${f.scale}%`].filter(Boolean).join(" · "), ` — ${f.rule}: ${f.message}`),
      ),
    );
  };

  if (!view.bare) root.replaceChildren(tools(), h("section", { "aria-labelledby": "lint-heading" }, h("h2", { id: "lint-heading" }, "Lint"), lintList), grid);
  else root.replaceChildren(grid);
  for (const locale of view.locales) drawLocale(locale);
  if (!view.bare) showLint(staticLint());

  window.heartlockGallery = {
    ready: true,
    overflow: () => measureOverflow(grid),
    lint: staticLint,
  };

  function tools(): HTMLElement {
    const localeSelect = h("select", { id: "edit-locale", "data-testid": "edit-locale" }, ...[...decks.values()].map((deck) => h("option", { value: deck.locale }, `${deck.name} (${deck.locale})`)));
    const keySelect = h("select", { id: "edit-key", "data-testid": "edit-key" }, ...Object.keys(source.messages).map((key) => h("option", { value: key }, key)));
    const message = h("textarea", { id: "edit-message", "data-testid": "edit-message", spellcheck: "true" });
    const help = h("p", { class: "key-help", "data-testid": "key-help" });
    const status = h("p", { class: "key-help", "data-testid": "save-status", "aria-live": "polite" });
    const save = h("button", { type: "button", "data-testid": "save-deck", hidden: !answer.allowSave }, "Save to copy/");
    const download = h("button", { type: "button", "data-testid": "download-deck" }, "Download deck");
    const toggles = h(
      "fieldset",
      {},
      h("legend", {}, "Locales shown"),
      ...[...decks.values()].map((deck) => {
        const box = h("input", { type: "checkbox", value: deck.locale, "data-testid": "locale-toggle" });
        box.checked = view.locales.includes(deck.locale);
        box.addEventListener("change", () => {
          view.locales = [...decks.keys()].filter((locale) => (locale === deck.locale ? box.checked : view.locales.includes(locale)));
          grid.replaceChildren();
          sections.clear();
          for (const locale of view.locales) drawLocale(locale);
          showLint(staticLint());
        });
        return h("label", { style: "display:block" }, box, ` ${deck.name} (${deck.locale})`);
      }),
    );
    const sizeSelect = h("select", { id: "gallery-size", "data-testid": "gallery-size" }, ...Object.entries(SIZES).map(([name, [w, hgt]]) => h("option", { value: name }, `${name} ${w}×${hgt}`)));
    const scaleSelect = h("select", { id: "gallery-scale", "data-testid": "gallery-scale" }, ...SCALES.map((scale) => h("option", { value: String(scale) }, `${scale} %`)));
    sizeSelect.value = view.sizes[0] ?? "small";
    scaleSelect.value = String(view.scales[0] ?? 100);
    const redrawAll = (): void => {
      view.sizes = [sizeSelect.value];
      view.scales = [Number(scaleSelect.value)];
      for (const locale of view.locales) drawLocale(locale);
    };
    sizeSelect.addEventListener("change", redrawAll);
    scaleSelect.addEventListener("change", redrawAll);
    const overflowButton = h("button", { type: "button", "data-testid": "check-overflow" }, "Check overflow");
    overflowButton.addEventListener("click", () => showLint([...staticLint(), ...measureOverflow(grid)]));

    const fill = (): void => {
      const deck = decks.get(localeSelect.value);
      const entry = sourceEntry(source, keySelect.value);
      message.value = (deck && messageOf(deck, keySelect.value)) ?? "";
      setText(
        help,
        [
          entry?.description,
          entry?.variables && `Variables: ${Object.entries(entry.variables).map(([name, what]) => `{${name}} ${what}`).join("; ")}`,
          entry?.budget !== undefined && `Budget: ${entry.budget} characters`,
          `English: ${messageOf(source, keySelect.value) ?? ""}`,
        ]
          .filter(Boolean)
          .join(" · "),
      );
    };
    localeSelect.addEventListener("change", fill);
    keySelect.addEventListener("change", fill);
    message.addEventListener("input", () => {
      const locale = localeSelect.value;
      const deck = decks.get(locale);
      if (!deck) return;
      const old = deck.messages[keySelect.value];
      const messages = { ...deck.messages, [keySelect.value]: typeof old === "object" ? { ...old, message: message.value } : message.value };
      decks.set(locale, { ...deck, messages });
      writers.delete(locale);
      if (locale === "en") writers.clear();
      for (const shown of view.locales) if (shown === locale || locale === "en") drawLocale(shown);
      showLint(staticLint());
    });
    save.addEventListener("click", async () => {
      const deck = decks.get(localeSelect.value);
      if (!deck) return;
      const response = await fetch(`/studio/api/copy/${encodeURIComponent(deck.locale)}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(deck, null, 2) });
      const body = (await response.json()) as { saved?: string; detail?: string };
      setText(status, response.ok ? `Saved ${body.saved ?? ""}.` : `Not saved: ${body.detail ?? response.status}`);
    });
    let downloaded: string | undefined;
    download.addEventListener("click", () => {
      const deck = decks.get(localeSelect.value);
      if (!deck) return;
      // The previous file's URL is let go when the next is made: the browser has read it by then.
      if (downloaded) URL.revokeObjectURL(downloaded);
      downloaded = URL.createObjectURL(new Blob([`${JSON.stringify(deck, null, 2)}\n`], { type: "application/json" }));
      h("a", { href: downloaded, download: `${deck.locale}.json` }).click();
    });
    fill();
    return h(
      "div",
      { class: "gallery-tools" },
      h(
        "fieldset",
        {},
        h("legend", {}, "Edit a message"),
        h("label", { for: "edit-locale" }, "Deck "),
        localeSelect,
        h("label", { for: "edit-key" }, " Key "),
        keySelect,
        h("div", {}, message),
        help,
        h("div", {}, save, " ", download),
        status,
      ),
      toggles,
      h("fieldset", {}, h("legend", {}, "Phone"), h("label", { for: "gallery-size" }, "Size "), sizeSelect, h("label", { for: "gallery-scale" }, " Font "), scaleSelect, h("div", {}, overflowButton)),
    );
  }
}

function reviewLabel(status: Deck["review"]["status"]): string {
  return { source: "Source deck", "needs-native-review": "Needs review by a native speaker", reviewed: "Reviewed", generated: "Generated pseudo-locale" }[status];
}

/** One phone: the state's screen (or the app open on it) and, below, what a screen reader announces. */
function card(state: GalleryState, copy: Copywriter, size: string, scale: number, bare: boolean): HTMLElement {
  const [width, height] = SIZES[size] ?? [360, 640];
  const text = screenText(state.facts, copy, STATE_TIME_ZONE);
  const words = appText(state, copy);
  const screen = h("div", { class: "phone-screen", role: "region", "aria-label": `${state.name}, ${copy.deck.name}`, "data-kind": state.facts.kind });
  const view = h("div", { class: "screen-view" });
  const button = (key: keyof typeof words | string, line = words[key]) => line && h("button", { type: "button", class: "app-button", "data-copy-key": line.key }, line.text);
  if (state.app === "keypad" && text.keypad) {
    const k = text.keypad;
    view.append(
      h("h3", { class: "app-title", "data-copy-key": k.title.key }, k.title.text),
      ...(text.challenge ? [h("p", { class: "challenge", "data-copy-key": text.challenge.label.key }, `${text.challenge.label.text} `, h("strong", { dir: "ltr" }, text.challenge.code))] : []),
      h("label", { "data-copy-key": k.codeLabel.key }, k.codeLabel.text),
      h("p", { class: "keypad-input", dir: "ltr" }, "••••••••"),
      ...(k.message ? [h("p", { class: "keypad-message", "data-copy-key": k.message.key }, k.message.text)] : []),
      ...(k.attempts ? [h("p", { class: "keypad-attempts", "data-copy-key": k.attempts.key }, k.attempts.text)] : []),
    );
    screen.append(view, h("div", { class: "screen-actions", role: "group" }, h("button", { type: "button", "data-copy-key": k.submit.key }, k.submit.text), button("back") ?? null));
  } else if (state.app === "emergency" || state.app === "imei") {
    view.append(
      h("h3", { class: "app-title", "data-copy-key": words["title"]?.key ?? "" }, words["title"]?.text ?? ""),
      h("p", { "data-copy-key": words["hint"]?.key ?? "" }, words["hint"]?.text ?? ""),
      ...(state.app === "imei" ? [h("p", { class: "imei-text", "data-copy-key": words["value"]?.key ?? "" }, words["value"]?.text ?? "")] : [h("label", { "data-copy-key": words["number"]?.key ?? "" }, words["number"]?.text ?? ""), h("p", { dir: "ltr" }, "112")]),
    );
    screen.append(view, h("div", { class: "screen-actions", role: "group" }, state.app === "emergency" ? (button("dial") ?? null) : null, button("back") ?? null));
  } else {
    append(view, screenContent(text, state.facts.kind));
    const actions = h("div", { class: "screen-actions", role: "group" });
    if (state.facts.kind === "locked") {
      actions.append(h("button", { type: "button", "data-copy-key": text.keypad?.title.key ?? "" }, text.keypad?.title.text ?? ""), ...[button("payment"), button("emergency"), button("imei"), button("call")].filter((b): b is HTMLButtonElement => Boolean(b)));
    } else if (state.facts.kind === "reminder") {
      actions.append(...[button("payment"), button("call")].filter((b): b is HTMLButtonElement => Boolean(b)));
    } else if (state.facts.kind === "setup") {
      actions.append(...[button("emergency"), button("imei")].filter((b): b is HTMLButtonElement => Boolean(b)));
    }
    screen.append(view, actions);
  }
  const phone = h(
    "div",
    {
      class: "gallery-phone",
      "data-testid": "gallery-phone",
      "data-state": state.id,
      "data-locale": copy.deck.locale,
      "data-size": size,
      "data-scale": String(scale),
      lang: copy.deck.locale,
      dir: copy.dir,
      style: `width:${width}px;height:${height}px;font-size:${(16 * scale) / 100}px`,
    },
    screen,
  );
  const cardElement = h("article", { class: "gallery-card", "data-testid": "gallery-card" }, h("h3", { class: "card-title" }, `${state.name} · ${size} · ${scale} %`), phone);
  if (!bare) {
    const said = h("ol", { "data-testid": "announced" });
    cardElement.append(h("details", {}, h("summary", {}, "Screen reader"), said));
    // Measured after layout: the list reads the markup the phone just drew.
    queueMicrotask(() => said.replaceChildren(...announcements(screen).map((text) => h("li", {}, text))));
  }
  return cardElement;
}

start().catch((error: unknown) => {
  root.replaceChildren(h("p", { role: "alert" }, `The gallery could not start: ${error instanceof Error ? error.message : String(error)}`));
});
