import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { Millis } from "../core/clock.ts";
import { parseDuration } from "../core/duration.ts";
import type { JournalEvent } from "../core/journal.ts";
import type { Wall } from "../core/wall-clock.ts";
import type { Keys } from "../mock-server/auth.ts";
import { invalidRequest, ProblemError } from "../protocol/problem.ts";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { Step, type ActionStep } from "../scenarios/format/schema.ts";
import { planFromObject } from "../scenarios/format/load.ts";
import { libraryNames, planFromFile } from "../scenarios/library.ts";
import { ScenarioRun, type RunOptions } from "../scenarios/run/runner.ts";
import type { ClockRequest, StepView } from "./contract.ts";
import { Director } from "./director.ts";
import { FREE_STAGE, freeStageDocument, freeStagePlan } from "./free-stage.ts";
import { isKeyMoment, type KeyMoment } from "./handout.ts";
import { recordedScenario, rewoundScenario, type Recording } from "./recording.ts";
import { ReplayedCredentials } from "./replayed-credentials.ts";
import { studioStepRules } from "./step-rules.ts";
import { fleetNames, journalFor, momentPhones, stageFile } from "./fleet-stage.ts";

export interface StageOptions {
  readonly wall: Wall;
  /** The server's keys; the cast's lenders not in it get the well-known `<id>-key`. */
  readonly keys?: Keys;
  readonly seed?: number | string;
  /** Where the free stage starts (default: its file's Monday morning) and in which zone. */
  readonly free?: { readonly start?: Millis; readonly timeZone?: string };
  /** Speed of the free stage's clock at start; 0 (default) starts it paused. */
  readonly speed?: number;
  /** What `heartlock serve` adds to every show's world (retention, CSPRNG credentials, cast keys); see RunOptions.serving. */
  readonly serving?: RunOptions["serving"];
  /** Told whenever anything on stage may have changed (the SSE layer throttles). */
  readonly onChange?: () => void;
  /** Told of every journal event of the show on stage. */
  readonly onEvent?: (event: JournalEvent, show: Show) => void;
  /** Errors nobody awaits (a paced move, a scripted step that broke): logged by the server. */
  readonly onError?: (error: unknown) => void;
}

/** What is on stage now: one run (its world, cast and steps) and the director pacing its clock. */
export interface Show {
  /** Grows with every load or reset, so the page knows to clear its timeline. */
  readonly id: number;
  readonly kind: "free" | "scenario";
  readonly run: ScenarioRun;
  readonly director: Director;
  /** The scenario document the show began from, and its plan: what saving, rewinding and reset start from. */
  readonly origin: { readonly document: Readonly<Record<string, unknown>>; readonly plan: ScenarioPlan; readonly seed: number | string };
  /** The story's key moments so far, each with the phones' screens just after it: the handout's pages. */
  readonly moments: KeyMoment[];
  /** Set after a rewind: the event the story was taken back to. */
  readonly rewoundTo?: number;
  /** The credentials the show drew, when they come from a CSPRNG (`serve`): a rewind draws them again. */
  readonly credentials?: ReplayedCredentials;
  /** Set when the script broke (not a failed check: an error the run could not go on from). */
  error?: string;
}

/** Speed a scenario plays at when the facilitator presses play without choosing: an hour per second. */
const DEFAULT_SPEED = 3600;

/**
 * The studio's stage: one show at a time (the free stage or a library scenario), the script playing in the
 * background at the director's pace, and the controls' actions performed on the same run, so the exported
 * run tells both. Swapping the show (load, reset) closes the old world.
 */
export class Stage {
  private show!: Show;
  private shows = 0;
  private unsubscribe: () => void = () => undefined;

  private constructor(private readonly options: StageOptions) {}

  static async open(options: StageOptions): Promise<Stage> {
    const stage = new Stage(options);
    await stage.loadFree(options.speed ?? 0);
    return stage;
  }

  get current(): Show {
    return this.show;
  }

  /** The library's scenarios, and the free stage first. */
  scenarioNames(): string[] {
    return [FREE_STAGE, ...libraryNames(), ...fleetNames()];
  }

  /** Puts a library scenario (or the free stage) on stage, paused at its start. */
  async load(name: string): Promise<void> {
    if (name === FREE_STAGE) return this.loadFree(0);
    if (!this.scenarioNames().includes(name)) {
      throw new ProblemError(404, "not_found", `No library scenario "${name}"; choose one of: ${this.scenarioNames().join(", ")}.`);
    }
    const file = stageFile(name);
    await this.replace("scenario", planFromFile(file), { speed: DEFAULT_SPEED, playing: false }, documentOf(file));
  }

  /** Puts a scenario file's plan on stage, paused at its start (`heartlock serve file.yaml`; the page cannot open files). */
  async loadPlan(plan: ScenarioPlan): Promise<void> {
    await this.replace("scenario", plan, { speed: DEFAULT_SPEED, playing: false }, plan.file !== undefined ? documentOf(plan.file) : undefined);
  }

  /** The run so far as a scenario document (`heartlock run` replays it to the same journal). */
  saved(): Record<string, unknown> {
    return recordedScenario(this.recording(), this.show.director.now());
  }

  /**
   * Takes the story back to event `seq`: a new world replayed from the seed and the steps that ran before
   * it, stopped once that event is written, paused. The same journal up to that event, byte for byte;
   * whatever is done next is a new branch (the controls pressed after the event are gone).
   */
  async rewind(seq: number): Promise<void> {
    const { run, kind, origin } = this.show;
    const event = run.world.journal.page(seq - 1, 1).events[0];
    if (event === undefined || event.seq !== seq) {
      throw new ProblemError(404, "not_found", `No event ${seq} on stage; the journal has events 1 to ${run.world.journal.lastSeq}.`);
    }
    const plan = planFromObject(rewoundScenario(this.recording(), seq), run.plan.name);
    await this.replace(kind, plan, { speed: this.show.director.speed, playing: false }, origin.document, { seed: origin.seed, base: origin.plan, rewoundTo: seq });
    await this.show.director.runToEvent(seq, Date.parse(event.at));
    this.changed();
  }

  /** Starts what is on stage over from its beginning, paused. */
  async reset(): Promise<void> {
    const { kind, origin } = this.show;
    if (kind === "free") return this.loadFree(0);
    await this.replace("scenario", origin.plan, { speed: this.show.director.speed, playing: false }, origin.document);
  }

  /** One actor's action, from a control: validated like a scenario step, performed now, recorded as a step. */
  async act(request: unknown): Promise<StepView> {
    const step = parseAction(request);
    checkNames(step, this.show.run.plan);
    const { step: result, problem } = await this.show.run.act(step);
    this.changed();
    // Refused (support cannot issue a code before the lender has recorded the payment…): the service's own problem,
    // or a 409 that tells what went wrong. The attempt stays in the run's steps: it is part of the story.
    if (result.error !== undefined) throw problem ?? new ProblemError(409, "conflict", result.error);
    return {
      index: result.index,
      local: this.show.run.plan.calendar.localDateTime(Date.parse(result.at)).replace("T", " "),
      ...(result.say !== undefined ? { say: result.say } : {}),
      source: "studio",
      state: "done",
      ...(result.outcome !== undefined ? { outcome: result.outcome } : {}),
    };
  }

  /** The facilitator's clock controls. */
  async clock(request: ClockRequest): Promise<void> {
    const { director, run } = this.show;
    switch (request.op) {
      case "play":
        director.play(request.speed);
        break;
      case "pause":
        director.pause();
        break;
      case "speed":
        director.setSpeed(request.speed);
        break;
      case "step":
        await director.step();
        break;
      case "jump": {
        const target =
          request.by === "next-business-day" ? run.plan.calendar.nextBusinessDayAt(director.now(), "09:00") : director.now() + parseDuration(request.by);
        await director.jumpTo(target, true);
        break;
      }
    }
    this.changed();
  }

  /** Stops the show's clock and closes its world (the server is stopping). */
  async close(): Promise<void> {
    this.unsubscribe();
    this.show.director.stop();
    await this.show.run.close();
  }

  /** The free stage as this server opens it (its start and zone may be moved: see StageOptions.free). */
  freePlan(): ScenarioPlan {
    return freeStagePlan(freeStageText(), this.options.free);
  }

  private recording(): Recording {
    const { run, origin } = this.show;
    return { document: origin.document, plan: run.plan, steps: run.steps, seed: origin.seed };
  }

  private async loadFree(speed: number): Promise<void> {
    const plan = this.freePlan();
    await this.replace("free", plan, { speed: speed > 0 ? speed : DEFAULT_SPEED, playing: speed > 0 }, freeStageDocument(freeStageText(), this.options.free));
  }

  private async replace(
    kind: Show["kind"],
    plan: ScenarioPlan,
    pace: { speed: number; playing: boolean },
    document: Readonly<Record<string, unknown>> = {},
    rewind?: { readonly seed: number | string; readonly base: ScenarioPlan; readonly rewoundTo: number },
  ): Promise<void> {
    // The free stage takes the server's seed; a scenario its own; a rewound show the seed it was played with.
    const seed = rewind?.seed ?? (kind === "free" ? this.options.seed : undefined) ?? plan.scenario.seed ?? 1;
    const onError = this.options.onError ?? ((error: unknown) => console.error("heartlock studio:", error));
    let director: Director | undefined;
    let opened: ScenarioRun | undefined;
    // CSPRNG credentials are recorded per show; a rewound show draws the ones the show it rewinds drew (see ReplayedCredentials).
    const given = this.options.serving?.credentials;
    const credentials = given ? new ReplayedCredentials(given, rewind ? (this.show as Show | undefined)?.credentials : undefined) : undefined;
    const run = await ScenarioRun.open(plan, {
      seed,
      // A fleet's phones call the service's typed operations (no Request per heartbeat); others go through Hono.
      transport: journalFor(plan) === "fleet" ? "direct" : "in-process",
      journal: journalFor(plan),
      ...(this.options.serving ? { serving: { ...this.options.serving, ...(credentials ? { credentials } : {}) } } : {}),
      ...(this.options.keys ? { keys: this.options.keys, extraLenders: Object.keys(this.options.keys.lenders) } : {}),
      steer: (clock, journal) => {
        director = new Director({ clock, journal, wall: this.options.wall, speed: pace.speed, playing: false, onChange: () => this.changed(), onError, step: studioStepRules(() => opened) });
        return director.steering;
      },
      advance: (_world, at) => (director ? director.until(at) : Promise.resolve()),
    });
    if (!director) throw new Error("the world did not take the studio's clock");
    opened = run;
    const old = this.show as Show | undefined;
    this.shows += 1;
    const show: Show = { id: this.shows, kind, run, director, moments: [], origin: { document, plan: rewind?.base ?? plan, seed }, ...(rewind ? { rewoundTo: rewind.rewoundTo } : {}), ...(credentials ? { credentials } : {}) };
    this.unsubscribe();
    this.show = show;
    this.unsubscribe = run.world.journal.subscribe((event) => {
      // The screens once the code that wrote the event has run on (a state change is logged before it shows).
      if (isKeyMoment(event)) queueMicrotask(() => show.moments.push({ event, screens: momentPhones(run, event).map(([name, phone]) => ({ name, screen: run.world.screen(phone) })) }));
      this.options.onEvent?.(event, show);
    });
    if (old) {
      old.director.stop();
      await old.run.close();
    }
    void this.playScript(show);
    if (pace.playing) director.play();
    this.changed();
  }

  /** Plays the script in the background: each step waits for the director, who holds the clock while it runs. */
  private async playScript(show: Show): Promise<void> {
    try {
      for (const planned of show.run.plan.steps) {
        await show.run.play(planned);
        if (this.show !== show) return;
        this.changed();
      }
      await show.run.finish();
      // "Scenario finished": the clock stops with the story, rather than playing on for days after it.
      if (show.kind === "scenario" && this.show === show) show.director.pause();
    } catch (error) {
      if (this.show !== show) return; // the world was closed under it by a load or reset
      show.error = error instanceof Error ? error.message : String(error);
      this.options.onError?.(error);
    } finally {
      if (this.show === show) {
        show.director.release();
        this.changed();
      }
    }
  }

  private changed(): void {
    this.options.onChange?.();
  }
}

/** A control's request as a scenario step (no time: it happens now). Bad input is a 400 that changes nothing. */
function parseAction(request: unknown): ActionStep {
  const parsed = Step.safeParse(request);
  if (!parsed.success) throw invalidRequest(parsed.error, "action");
  const step = parsed.data;
  if (step.do === undefined) throw new ProblemError(400, "invalid_request", 'An action needs "do", e.g. { "do": "lender.default", "account": "amara", "amount": "49.99 EUR" }.');
  if (step.at !== undefined || step.after !== undefined || step.expect !== undefined) {
    throw new ProblemError(400, "invalid_request", "A control acts now: leave out at, after and expect.");
  }
  return step;
}

/** Names a step uses must be on stage; otherwise a 404 before anything runs. */
function checkNames(step: ActionStep, plan: ScenarioPlan): void {
  const fields = step as Record<string, unknown>;
  const device = fields["device"];
  if (typeof device === "string" && !plan.groups.has(device)) {
    throw new ProblemError(404, "not_found", `No device "${device}" on stage; on stage: ${[...plan.groups.keys()].join(", ")}.`);
  }
  const account = fields["account"];
  if (typeof account === "string" && !plan.accounts.has(account)) {
    throw new ProblemError(404, "not_found", `No account "${account}" on stage; on stage: ${[...plan.accounts.keys()].join(", ")}.`);
  }
}

function freeStageText(): string {
  return readFileSync(new URL("./free-stage.yaml", import.meta.url), "utf8");
}

/** A scenario file's document as written (YAML parsed; the plan has already checked it). */
function documentOf(file: string): Record<string, unknown> {
  return parseYaml(readFileSync(file, "utf8")) as Record<string, unknown>;
}
