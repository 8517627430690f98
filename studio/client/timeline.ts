import type { TimelineEntry } from "../contract.ts";
import { h, stickToEnd } from "./dom.ts";

/** Enough to tell a week's story; older entries leave the page (the Markdown export keeps the whole run). */
const KEEP = 3000;

/**
 * The journal, told for people, oldest first. Routine events (heartbeats with nothing to do) fold into one
 * line per run unless asked for. Entries arrive one by one from the stream and are appended, never redrawn,
 * except when the routine checkbox changes.
 */
export class Timeline {
  private readonly list: HTMLOListElement;
  private readonly showRoutine: HTMLInputElement;
  private readonly count: HTMLElement;
  private entries: TimelineEntry[] = [];
  private lastSeq = 0;
  private queue: TimelineEntry[] = [];
  private scheduled = false;
  /** The fold line at the end of the list, while routine events keep arriving. */
  private fold: { element: HTMLElement; count: number } | undefined;

  private readonly earlierButton: HTMLButtonElement;

  /** `loadEarlier` fetches entries before a seq: the server's welcome sends only the latest ones. */
  constructor(
    root: HTMLElement,
    private readonly loadEarlier?: (before: number) => Promise<readonly TimelineEntry[]>,
  ) {
    this.earlierButton = h("button", { type: "button", class: "quiet", "data-testid": "timeline-earlier" }, "Show earlier events");
    this.earlierButton.addEventListener("click", () => void this.showEarlier());
    this.showRoutine = h("input", { id: "show-routine", "data-testid": "show-routine" });
    this.showRoutine.type = "checkbox";
    this.count = h("span", { class: "quiet", "data-testid": "timeline-count" });
    this.list = h("ol", { class: "timeline", "data-testid": "timeline-list", tabindex: "0", "aria-label": "Events, oldest first" });
    root.replaceChildren(
      h(
        "div",
        { class: "timeline-options" },
        h("span", { class: "checkbox" }, this.showRoutine, h("label", { for: "show-routine" }, "Show routine heartbeats")),
        this.count,
        this.earlierButton,
      ),
      this.list,
    );
    this.showRoutine.addEventListener("change", () => this.redraw());
  }

  /** The event with this seq, when the page still holds it (the latest KEEP and any earlier ones fetched). */
  entry(seq: number): TimelineEntry | undefined {
    const entries = this.entries;
    let low = 0;
    let high = entries.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = (entries[mid] as TimelineEntry).seq;
      if (at === seq) return entries[mid];
      if (at < seq) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** Adds an event; a repeat (the stream reconnected and replayed) is skipped, a seq 1 starts a new story. */
  add(entry: TimelineEntry): void {
    if (entry.seq <= this.lastSeq) {
      if (entry.seq !== 1) return;
      this.clear();
    }
    this.lastSeq = entry.seq;
    if (this.entries.length === 0) this.earlierButton.hidden = entry.seq <= 1;
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    this.queue.push(entry);
    // A day a second brings hundreds of events: they are appended once per frame, together.
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  /** Prepends the page before the oldest entry shown; hides the button once the story's start is reached. */
  private async showEarlier(): Promise<void> {
    const oldest = this.entries[0]?.seq;
    if (!this.loadEarlier || oldest === undefined || oldest <= 1) return;
    const older = (await this.loadEarlier(oldest)).filter((entry) => entry.seq < oldest);
    if (older.length === 0 || older[0]?.seq === 1) this.earlierButton.hidden = true;
    this.entries = [...older, ...this.entries];
    this.redraw();
  }

  clear(): void {
    this.entries = [];
    this.queue = [];
    this.lastSeq = 0;
    this.fold = undefined;
    this.list.replaceChildren();
    this.count.textContent = "";
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    stickToEnd(this.list, () => {
      for (const entry of batch) this.append(entry);
      while (this.list.childElementCount > KEEP) this.list.firstElementChild?.remove();
    });
    this.count.textContent = `${this.entries.length} events`;
  }

  private redraw(): void {
    this.queue = [];
    this.fold = undefined;
    this.list.replaceChildren();
    stickToEnd(this.list, () => {
      for (const entry of this.entries) this.append(entry);
    });
    this.list.scrollTop = this.list.scrollHeight;
  }

  private append(entry: TimelineEntry): void {
    if (entry.routine && !this.showRoutine.checked) {
      if (!this.fold) {
        const element = h("li", { class: "entry folded" });
        this.fold = { element, count: 0 };
        this.list.append(element);
      }
      this.fold.count += 1;
      this.fold.element.textContent = `· ${this.fold.count} routine ${this.fold.count === 1 ? "event" : "events"} (heartbeats and bookkeeping), last ${entry.local}`;
      return;
    }
    this.fold = undefined;
    this.list.append(
      h(
        "li",
        { class: `entry actor-${entry.actor.replace(/[^a-z-]/g, "")}${entry.routine ? " routine" : ""}`, "data-type": entry.type, "data-seq": entry.seq },
        h("time", { class: "when", datetime: entry.at }, entry.local),
        " ",
        h("span", { class: "actor" }, entry.actor),
        " ",
        h("span", { class: "narration" }, entry.narration),
      ),
    );
  }
}
