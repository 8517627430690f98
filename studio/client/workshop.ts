import { ROUTES, type StudioState, type TimelineEntry } from "../contract.ts";
import { guidance } from "../guidance.ts";
import { h, setText } from "./dom.ts";
import type { Studio } from "./studio.ts";

/**
 * The workshop's tools: the guidance line (what happens next, what to press), presenter mode (larger type,
 * compact header, remembered per browser; `?presenter` in the address turns it on), the rewind scrubber
 * over the journal with "continue from here", and the run's exports as a scenario file and a handout.
 */
export function mountGuidance(root: HTMLElement, studio: Studio, selectedPhone: () => string | undefined): void {
  studio.store.subscribe((state: StudioState) => setText(root, guidance(state, selectedPhone())));
}

const PRESENTER_KEY = "heartlock-presenter";

export function mountPresenterToggle(slot: HTMLElement): void {
  const toggle = h("button", { type: "button", "data-testid": "presenter", "aria-pressed": "false" }, "Presenter mode");
  const apply = (on: boolean) => {
    document.documentElement.classList.toggle("presenter", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  };
  const asked = new URLSearchParams(location.search).has("presenter");
  apply(asked || readSetting() === "on");
  toggle.addEventListener("click", () => {
    const on = !document.documentElement.classList.contains("presenter");
    apply(on);
    writeSetting(on ? "on" : "off");
  });
  slot.append(toggle);
}

/**
 * The rewind scrubber. `describe` names an event by its seq (its time and what happened, from the timeline), so a
 * facilitator dragging to "just before the lock" sees which event that is, not a bare number.
 */
export function mountRewind(root: HTMLElement, studio: Studio, describe: (seq: number) => TimelineEntry | undefined = () => undefined): void {
  const range = h("input", { type: "range", id: "rewind-seq", min: "1", max: "1", value: "1", step: "1", "data-testid": "rewind-range" });
  const which = h("output", { for: "rewind-seq", class: "rewind-which", "data-testid": "rewind-which" }, "event 1");
  const go = h("button", { type: "button", "data-testid": "rewind" }, "Rewind to this event");
  const save = h("a", { href: ROUTES.exportScenario, download: "heartlock-run.yaml", "data-testid": "export-scenario" }, "Save this run as a scenario");
  const handout = h("a", { href: ROUTES.exportHandout, download: "heartlock-handout.pdf", "data-testid": "export-handout" }, "Handout (PDF)");
  let follow = true;
  const label = (seq: number, last: number): string => {
    const entry = describe(seq);
    return `event ${seq} of ${last}${entry ? ` · ${entry.local} · ${entry.narration}` : ""}`;
  };
  const show = (seq: number, last: number): void => {
    const text = label(seq, last);
    setText(which, text);
    which.title = text;
  };
  range.addEventListener("input", () => {
    follow = range.value === range.max;
    show(Number(range.value), Number(range.max));
  });
  go.addEventListener("click", () => {
    const seq = Number(range.value);
    void studio.stage({ op: "rewind", seq }, "Rewind", `Back at event ${seq}, as it was then: press Play or any control to continue from here.`);
    follow = true;
  });
  studio.store.subscribe((state: StudioState) => {
    const last = Math.max(1, state.stage.lastSeq);
    range.max = String(last);
    if (follow) range.value = String(last);
    show(Number(range.value), last);
    go.disabled = state.stage.lastSeq === 0;
  });
  root.replaceChildren(
    h("div", { class: "rewind", role: "group", "aria-label": "Rewind the story" }, h("label", { for: "rewind-seq" }, "Rewind"), range, which, go),
    h("p", { class: "exports" }, save, handout),
  );
}

function readSetting(): string | null {
  try {
    return localStorage.getItem(PRESENTER_KEY);
  } catch {
    return null; // storage refused (a private window): presenter mode is then per page load
  }
}

function writeSetting(value: string): void {
  try {
    localStorage.setItem(PRESENTER_KEY, value);
  } catch {
    // as above
  }
}
