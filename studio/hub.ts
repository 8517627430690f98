import type { JournalEvent } from "../core/journal.ts";
import type { Wall } from "../core/wall-clock.ts";
import type { NameBook } from "../scenarios/report/names.ts";
import type { StudioState, TimelineEntry } from "./contract.ts";
import { studioState } from "./snapshot.ts";
import { Stage, type Show, type StageOptions } from "./stage.ts";
import { handoutHtml } from "./handout.ts";
import { diagramOf, timelineEntry } from "./timeline.ts";
import { stateText } from "./wire-state.ts";

/** One message to the page: an SSE event name and its JSON text. */
export interface StudioMessage {
  readonly event: "state" | "event" | "diagram";
  readonly data: string;
}

export type StudioListener = (message: StudioMessage) => void;

/** Events a page gets when it connects; it asks for earlier ones page by page (see `earlier`). */
export const WELCOME_EVENTS = 500;
/** Events per "show earlier" page, at most. */
export const EARLIER_PAGE = 500;

/** The page's state at most this often (real ms): a playing clock changes it every frame. */
const STATE_EVERY_MS = 100;
/** The diagram at most this often: it is redrawn whole. */
const DIAGRAM_EVERY_MS = 400;

/**
 * Between the stage and the pages watching it: journal events go out at once, told in words; the state and
 * the diagram go out throttled, since a clock at a day per second changes them all the time. Every page
 * gets the same messages; a page that connects gets the whole story so far first.
 */
export class StudioHub {
  private stageRef: Stage | undefined;
  private readonly listeners = new Set<StudioListener>();
  private rev = 0;
  private stateTimer: unknown;
  private diagramTimer: unknown;
  private diagramSeq = -1;
  private diagramShow = 0;
  /** Phone names by IMEI and every deviceId each phone ever had, per show: narration names phones. */
  private names: { readonly show: number; readonly book: NameBook } | undefined;

  private constructor(private readonly wall: Wall) {}

  static async open(options: StageOptions): Promise<StudioHub> {
    const hub = new StudioHub(options.wall);
    hub.stageRef = await Stage.open({ ...options, onChange: () => hub.changed(), onEvent: (event, show) => hub.journaled(event, show) });
    hub.changed();
    return hub;
  }

  get stage(): Stage {
    if (!this.stageRef) throw new Error("the studio's stage is still opening");
    return this.stageRef;
  }

  subscribe(listener: StudioListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state now, with a new revision. */
  state(): StudioState {
    this.rev += 1;
    return studioState(this.stage.current, this.rev);
  }

  /**
   * What a page needs when it connects: the state, the last WELCOME_EVENTS of the timeline, and the diagram. A
   * page load at 100k events once took half a minute and blocked the server; now it costs the same at any length.
   */
  welcome(): StudioMessage[] {
    const show = this.stage.current;
    const names = this.namesFor(show);
    return [
      { event: "state", data: stateText(this.state()) },
      ...show.run.world.journal.latest(WELCOME_EVENTS).map((event): StudioMessage => ({ event: "event", data: JSON.stringify(timelineEntry(event, show, names)) })),
      { event: "diagram", data: JSON.stringify(diagramOf(show)) },
    ];
  }

  /** The participants' handout of the show on stage, as printable HTML (see handout.ts). */
  handout(): string {
    const show = this.stage.current;
    const { scenario } = show.run.plan;
    return handoutHtml({
      title: scenario.title,
      summary: scenario.summary,
      objectives: scenario.objectives,
      moments: show.moments,
      names: this.namesFor(show),
      diagramSvg: diagramOf(show, { all: true }).svg,
    });
  }

  /**
   * Timeline entries just before `before` (a seq), oldest first, at most `limit`: the page's "show earlier". The
   * journal searches its kept events for the place: a fleet journal folds routine heartbeats and leaves gaps in
   * the seqs, so "the `limit` seqs before" could hold none of them while older events were still kept.
   */
  earlier(before: number, limit: number): TimelineEntry[] {
    const show = this.stage.current;
    const names = this.namesFor(show);
    return show.run.world.journal
      .before(before, Math.min(limit, EARLIER_PAGE))
      .map((event) => timelineEntry(event, show, names));
  }

  /** Something on stage may have changed: the state goes out soon, once, however many changes came. */
  changed(): void {
    if (!this.stageRef) return; // still opening: the first state goes out once it is open
    if (this.stateTimer === undefined) {
      this.stateTimer = this.wall.setTimer(STATE_EVERY_MS, () => {
        this.stateTimer = undefined;
        if (this.listeners.size > 0) this.broadcast({ event: "state", data: stateText(this.state()) });
      });
    }
    const show = this.stage.current;
    const moved = show.id !== this.diagramShow || show.run.world.journal.lastSeq !== this.diagramSeq;
    if (moved && this.diagramTimer === undefined) {
      this.diagramTimer = this.wall.setTimer(DIAGRAM_EVERY_MS, () => {
        this.diagramTimer = undefined;
        const now = this.stage.current;
        this.diagramShow = now.id;
        this.diagramSeq = now.run.world.journal.lastSeq;
        if (this.listeners.size > 0) this.broadcast({ event: "diagram", data: JSON.stringify(diagramOf(now)) });
      });
    }
  }

  async close(): Promise<void> {
    this.wall.clearTimer(this.stateTimer);
    this.wall.clearTimer(this.diagramTimer);
    this.listeners.clear();
    await this.stage.close();
  }

  private journaled(event: JournalEvent, show: Show): void {
    if (this.listeners.size === 0 || !this.stageRef) return;
    const entry: TimelineEntry = timelineEntry(event, show, this.namesFor(show, event));
    this.broadcast({ event: "event", data: JSON.stringify(entry) });
  }

  private namesFor(show: Show, latest?: JournalEvent): NameBook {
    if (this.names?.show !== show.id) {
      const devices = new Map<string, string>();
      learn(devices, show, undefined);
      for (const event of show.run.world.journal.after(0)) learn(devices, show, event);
      this.names = { show: show.id, book: { devices, timeZone: show.run.plan.calendar.timeZone } };
    } else if (latest) {
      learn(this.names.book.devices as Map<string, string>, show, latest);
    }
    return this.names.book;
  }

  private broadcast(message: StudioMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

/**
 * Names the phones of a show by IMEI and current deviceId, and any deviceId an event ties to an IMEI. A deviceId
 * not in the book yet is named by the event's own IMEI when the book knows it (a registration names both); the
 * phones are looked over again only when it does not (a phone enrolled again, under a new deviceId). Looking
 * them all over for every event cost 1,000 phones x every event on a fleet stage, and for every registration
 * 1,000 x 1,000 reads.
 */
function learn(devices: Map<string, string>, show: Show, event: JournalEvent | undefined): void {
  if (event === undefined) return lookOver(devices, show);
  const id = event.data["deviceId"];
  if (typeof id !== "string" || devices.has(id)) return;
  const imei = event.data["imei"];
  const byImei = typeof imei === "string" ? devices.get(imei) : undefined;
  if (byImei !== undefined) {
    devices.set(id, byImei);
    return;
  }
  lookOver(devices, show);
}

function lookOver(devices: Map<string, string>, show: Show): void {
  for (const [name, phone] of show.run.stage.phones) {
    devices.set(phone.imei, name);
    if (phone.deviceId !== undefined) devices.set(phone.deviceId, name);
  }
}
