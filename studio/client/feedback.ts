import { h, setText } from "./dom.ts";

/**
 * The answer to the last thing someone pressed: an outcome in a polite live region, or a refusal in an
 * alert. A refusal is a normal part of many stories (support cannot issue a code while in default), so it is
 * shown plainly, never logged as an error. Both regions stay rendered while empty (CSS collapses them): a
 * live region that appears together with its text is often not announced.
 */
export class Feedback {
  constructor(
    private readonly outcomeRegion: HTMLElement,
    private readonly errorRegion: HTMLElement,
  ) {}

  /** `what` says which control it answers ("Support: issue unlock code"); codes in the outcome stand out. */
  outcome(what: string, text: string, when?: string): void {
    this.errorRegion.replaceChildren();
    this.outcomeRegion.replaceChildren(
      h("span", { class: "feedback-what" }, when ? `${when} · ${what}` : what),
      h("span", { class: "feedback-text" }, ...withCodes(text)),
    );
  }

  error(what: string, text: string): void {
    this.outcomeRegion.replaceChildren();
    this.errorRegion.replaceChildren(h("span", { class: "feedback-what" }, `${what}: not done`), h("span", { class: "feedback-text" }, text));
  }

  /** A problem of the page's own, not an answer to a control (the stage could not be read). */
  note(text: string): void {
    this.outcomeRegion.replaceChildren();
    setText(this.errorRegion, text);
  }
}

/** Splits "code 12345678 issued" so the eight digits can be shown large enough to read out to a room. */
export function withCodes(text: string): (string | HTMLElement)[] {
  const parts: (string | HTMLElement)[] = [];
  let last = 0;
  for (const match of text.matchAll(/\b\d{8}\b/g)) {
    const at = match.index;
    parts.push(text.slice(last, at), h("strong", { class: "code" }, match[0]));
    last = at + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== "");
}

export function firstCode(text: string): string | undefined {
  return /\b\d{8}\b/.exec(text)?.[0];
}
