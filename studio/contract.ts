import type { LockScreen } from "../device-sim/lock-screen.ts";

/**
 * What the studio's server tells the page, and what the page may ask of it. Types only (plus a few
 * constants): the server builds these from the stage, the browser bundle renders them. Times are given
 * twice: ISO (UTC, on the simulated clock) for machines, and local text in the stage's time zone for people.
 */

/** The speed dial: simulated seconds per real second, from real time to a day per second. */
export const SPEEDS = [
  { speed: 1, label: "1×  (real time)" },
  { speed: 60, label: "1 minute per second" },
  { speed: 600, label: "10 minutes per second" },
  { speed: 3600, label: "1 hour per second" },
  { speed: 21600, label: "6 hours per second" },
  { speed: 86400, label: "1 day per second" },
] as const;

/** A day per second: the fastest the dial goes. */
export const MAX_SPEED = 86_400;

export const ROUTES = {
  page: "/",
  script: "/studio/app.js",
  style: "/studio/studio.css",
  /** GET: the whole state (StudioState). */
  state: "/studio/api/state",
  /** GET, text/event-stream: `state` (StudioState), `event` (TimelineEntry), `diagram` (DiagramUpdate) messages. */
  stream: "/studio/api/stream",
  /** GET ?before=<seq>&limit=<n>: TimelineEntry[] just before that seq, oldest first (the welcome sends only the last ones). */
  events: "/studio/api/events",
  /** GET: ScenarioSummary[] of the library. */
  scenarios: "/studio/api/scenarios",
  /** POST ActRequest: one actor's action (the scenario files' vocabulary). Answers ActAnswer, or a problem+json. */
  act: "/studio/api/act",
  /** POST ClockRequest: the facilitator's clock controls. Answers StudioState. */
  clock: "/studio/api/clock",
  /** POST StageRequest: load a library scenario, or reset to the free stage. Answers StudioState. */
  stage: "/studio/api/stage",
  /** GET: the run so far as Markdown (text/markdown, attachment). */
  exportMarkdown: "/studio/export/run.md",
  /** GET: the sequence diagram as a standalone SVG file (image/svg+xml, attachment). */
  exportSvg: "/studio/export/diagram.svg",
  /** GET: the run so far as a scenario file (YAML, attachment) that `heartlock run` replays to the same journal. */
  exportScenario: "/studio/export/scenario.yaml",
  /** GET: the handout (application/pdf, attachment): the story's key moments, the phone at each, the diagram. */
  exportHandout: "/studio/export/handout.pdf",
  /** GET: the handout as a printable HTML page (what the PDF is printed from). */
  handout: "/studio/handout",
  /** GET: the sequence diagram as Mermaid text. */
  exportMermaid: "/studio/export/diagram.mmd",
} as const;

export interface StudioState {
  /**
   * Grows with every state the server builds (each change it streams, and each GET of the state, which is the
   * state at that later moment): an ordering, not a change counter. The page ignores a state older than the one
   * it shows.
   */
  readonly rev: number;
  /** Grows with every load or reset: a new stageId means a new world, so the page clears its timeline. */
  readonly stageId: number;
  readonly clock: ClockView;
  readonly stage: StageView;
  readonly devices: readonly DeviceView[];
  readonly accounts: readonly AccountView[];
  /** Unlock codes support has issued, newest first. */
  readonly codes: readonly CodeView[];
  /** Jobs waiting on the simulated clock, earliest first (at most 12). */
  readonly pending: readonly PendingJobView[];
  /** Faults the facilitator injected that are still active. */
  readonly faults: readonly FaultView[];
}

/**
 * A fleet's state on the wire (studio/wire-state.ts): a thousand phones show a handful of different screens, so
 * each screen is sent once, as JSON text with the phone's IMEI written SHARED_IMEI, and a phone names its screen
 * by index (`screenOf`) instead of carrying it; the page puts the screens back (studio/client/wire.ts). A
 * small stage's state goes as it is. This kept the welcome of the 1,000-phone stage under 1 MB.
 */
export interface WireState extends Omit<StudioState, "devices"> {
  readonly devices: readonly WireDevice[];
  readonly screens?: readonly string[];
}
export type WireDevice = Omit<DeviceView, "screen"> & { readonly screen?: LockScreen; readonly screenOf?: number };
export const SHARED_IMEI = "\u27e6imei\u27e7";

export interface ClockView {
  readonly now: string;
  /** "Mon 2 Mar 2026, 09:00" in the stage's zone. */
  readonly local: string;
  readonly timeZone: string;
  /** Simulated ms per real ms while playing. */
  readonly speed: number;
  readonly playing: boolean;
}

export interface StageView {
  /** `free`: the open stage with its cast and no script; `scenario`: a library scenario. */
  readonly kind: "free" | "scenario";
  /** Library name ("missed-payment-lock") or "free-stage". */
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly objectives: readonly string[];
  readonly steps: readonly StepView[];
  /** The `say:` line of the step that ran last, shown as a caption over the stage. */
  readonly caption?: string;
  /** True once every step of a scenario ran and its checks were decided. */
  readonly finished: boolean;
  readonly verdicts: readonly VerdictView[];
  /** True while a scripted step is being carried out (the clock holds meanwhile). */
  readonly busy: boolean;
  /** Set after a rewind: the event the story was taken back to (what is done next is a new branch). */
  readonly rewoundTo?: number;
  /** The journal's last event number, for the rewind scrubber. */
  readonly lastSeq: number;
  /** Set when the script broke and cannot go on (not a failed check: those are verdicts). */
  readonly error?: string;
  readonly lenders: readonly { readonly id: string; readonly name: string }[];
}

export interface StepView {
  readonly index: number;
  readonly local: string;
  readonly say?: string;
  /** "lender.default account alice 49.99 EUR" */
  readonly action?: string;
  /** Where the step came from: the scenario's timeline, or a control pressed in the studio. */
  readonly source: "script" | "studio";
  readonly state: "done" | "next" | "waiting" | "failed";
  readonly outcome?: string;
  readonly error?: string;
}

export interface VerdictView {
  readonly step: number;
  readonly description: string;
  readonly passed: boolean;
  readonly found: string;
}

export interface DeviceView {
  /** The name used in actions ("alice-phone"). */
  readonly name: string;
  readonly imei: string;
  readonly deviceId?: string;
  readonly model?: string;
  readonly account?: string;
  readonly lender?: string;
  /** Who holds it, for captions ("Alice"). */
  readonly owner?: string;
  readonly online: boolean;
  readonly poweredOn: boolean;
  readonly screen: LockScreen;
  /** The lock service's view of this phone (absent until it enrolled). */
  readonly server?: {
    readonly lastHeartbeat?: string;
    readonly lastHeartbeatLocal?: string;
    /** When the phone will call next, from its own timer. */
    readonly nextHeartbeatLocal?: string;
    readonly state?: string;
    readonly attemptsLeft?: number;
    readonly cooldownUntilLocal?: string;
  };
  /** The phone's next heartbeat, from the phone's own schedule. */
  readonly nextHeartbeatLocal?: string;
  /** Local money the payment app offers by default ("49.99 EUR"); absent when nothing is owed. */
  readonly amountDue?: string;
}

export interface AccountView {
  readonly id: string;
  readonly lender: string;
  readonly owner?: string;
  readonly standing: "good" | "overdue" | "default" | "paid_off";
  /** When the grace ends (or ended) and the account is in default. */
  readonly lockAtLocal?: string;
  /**
   * When its phone actually locks: its next heartbeat at or after lockAt (nothing is pushed). Absent once the
   * phones are locked, or when no phone of the account will call (offline, off).
   */
  readonly phoneLocksAtLocal?: string;
  /** What the lock service believes is owed ("49.99 EUR"), "nothing" when settled. */
  readonly owed: string;
  readonly sync: {
    readonly status: "idle" | "pending" | "failed";
    readonly expectedBy?: string;
    readonly expectedByLocal?: string;
    /** "in 3 h 20 min" from now, on the simulated clock. */
    readonly expectedIn?: string;
    readonly error?: string;
  };
  readonly payments: readonly {
    readonly paymentId: string;
    readonly amount: string;
    readonly status: "pending" | "failed" | "synced";
    readonly expectedByLocal: string;
  }[];
  readonly devices: readonly string[];
  /** A default amount for the lender's "report default" and "record payment" forms ("49.99 EUR"). */
  readonly installment: string;
}

export interface CodeView {
  readonly device: string;
  readonly code: string;
  readonly issuedLocal: string;
  readonly expiresLocal: string;
  readonly state: "live" | "used" | "superseded" | "expired";
}

export interface PendingJobView {
  readonly local: string;
  /** "in 5 h 12 min" */
  readonly in: string;
  readonly label: string;
}

export interface FaultView {
  readonly kind: string;
  readonly target?: string;
  readonly untilLocal?: string;
  /** A counted fault: how many more attempts it breaks (1: "the next sync fails"). */
  readonly times?: number;
}

/** One journal event, told for people. */
export interface TimelineEntry {
  /** The stage the event belongs to (see StudioState.stageId); seq starts again at 1 on every stage. */
  readonly stageId: number;
  readonly seq: number;
  readonly at: string;
  /** "Mon 2 Mar, 11:00" */
  readonly local: string;
  readonly actor: string;
  readonly type: string;
  readonly narration: string;
  /** Heartbeats with nothing to do and other bookkeeping: the page can fold these. */
  readonly routine: boolean;
}

export interface DiagramUpdate {
  /** A complete standalone SVG document of the sequence diagram so far. */
  readonly svg: string;
  /** How many messages it draws. */
  readonly messages: number;
}

export interface ScenarioSummary {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly objectives: readonly string[];
  readonly steps: number;
  readonly days: number;
}

/**
 * A scenario step's action without its timing: `{ do: "lender.default", account: "alice", amount: "49.99 EUR",
 * grace: "P3D" }`. The same names and fields as in scenario files (README, "Actions"), validated by the same
 * schema; `say` is allowed and becomes the caption.
 */
export type ActRequest = { readonly do: string; readonly [field: string]: unknown };

export interface ActAnswer {
  /** The plain-language outcome ("account alice is now default; phones lock at their next heartbeat"). */
  readonly outcome: string;
  readonly state: StudioState;
}

export type ClockRequest =
  | { readonly op: "play"; readonly speed?: number }
  | { readonly op: "pause" }
  | { readonly op: "speed"; readonly speed: number }
  /** Runs the clock to the next thing worth telling (a notable event or the scenario's next step). */
  | { readonly op: "step" }
  /** Jumps forward, running everything due on the way: "PT1H", "P1D", or "next-business-day" (09:00 local). */
  | { readonly op: "jump"; readonly by: string };

export type StageRequest =
  | { readonly op: "load"; readonly scenario: string }
  | { readonly op: "reset" }
  /** Back to the moment event `seq` was written, replayed from the seed and the steps before it; paused. */
  | { readonly op: "rewind"; readonly seq: number };
