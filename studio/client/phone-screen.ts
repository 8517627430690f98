import type { Line } from "../../copy/format.ts";
import type { ScreenText } from "../../copy/screen-text.ts";
import { h, type Child } from "./dom.ts";
import { bellIcon, lockIcon } from "./icons.ts";

/**
 * A screen's words as markup, in the order a screen reader announces them: the notification card, the
 * title (a heading), the lender's message, the body, the notice, the challenge. Each element carries its
 * deck key (`data-copy-key`), so the gallery and the overflow lint can name what does not fit. The live
 * studio's phone and the copy gallery both draw screens with this.
 */
export function screenContent(text: ScreenText, kind: string): Child[] {
  const line = (tag: "p" | "span", l: Line, attrs: Record<string, string> = {}): HTMLElement =>
    h(tag, { "data-copy-key": l.key, ...(l.fallback ? { "data-fallback": "source" } : {}), ...attrs }, l.text);
  const parts: Child[] = [];
  if (text.notification) {
    parts.push(
      h(
        "div",
        { class: "notification", "data-testid": "phone-notice" },
        h("p", { class: "notification-app", "data-copy-key": text.notification.app.key }, bellIcon(), ` ${text.notification.app.text}`),
        line("p", text.notification.body),
      ),
    );
  }
  if (kind === "restarting") parts.push(h("div", { class: "spinner", role: "img", "aria-label": text.title.text }));
  if (kind === "locked") parts.push(h("div", { class: "lock-glyph" }, lockIcon()));
  parts.push(h("h3", { class: "screen-title", "data-testid": "phone-title", tabindex: "-1", "data-key": "title", "data-copy-key": text.title.key }, text.title.text));
  const body = h("div", { class: "screen-body", "data-testid": "phone-body" });
  const message = text.lenderMessage;
  if (message) {
    body.append(
      h(
        "div",
        { class: "lender-message", "data-testid": "lender-message" },
        line("p", message.label, { class: "lender-label" }),
        h("p", { class: "lender-text", "data-copy-key": "lender.message", ...(message.lang ? { lang: message.lang, dir: "auto" } : {}) }, message.text),
        message.marker && line("p", message.marker, { class: "fallback-marker", "data-testid": "fallback-marker" }),
      ),
    );
  }
  for (const l of text.body) body.append(line("p", l));
  parts.push(body);
  if (text.notice) parts.push(line("p", text.notice, { class: "screen-notice", "data-testid": "phone-notice" }));
  if (text.challenge) {
    parts.push(h("p", { class: "challenge", "data-testid": "lock-challenge", "data-copy-key": text.challenge.label.key }, `${text.challenge.label.text} `, h("strong", { dir: "ltr" }, text.challenge.code)));
  }
  return parts;
}

/** What a screen reader says, element by element, in the markup's order (headings, text, buttons, groups). */
export function announcements(root: Element): string[] {
  const said: string[] = [];
  const visit = (element: Element): void => {
    if (element instanceof HTMLElement && (element.hidden || element.getAttribute("aria-hidden") === "true")) return;
    const role = element.getAttribute("role");
    const label = element.getAttribute("aria-label");
    if (/^H[1-6]$/.test(element.tagName)) return void said.push(`heading: ${element.textContent?.trim() ?? ""}`);
    if (element.tagName === "BUTTON") return void said.push(`button: ${label ?? element.textContent?.trim() ?? ""}`);
    if (role === "img") return void said.push(`image: ${label ?? ""}`);
    if (role === "group" || role === "region") said.push(`${role}: ${label ?? ""}`);
    if (element.tagName === "P" || element.tagName === "LABEL") return void said.push(element.textContent?.replace(/\s+/g, " ").trim() ?? "");
    for (const child of element.children) visit(child);
  };
  visit(root);
  return said.filter((text) => !/^\w+: ?$/.test(text) && text !== "");
}
