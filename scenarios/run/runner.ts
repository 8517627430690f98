import { iso, type Millis } from "../../core/clock.ts";
import { countOf } from "../../core/fleet-journal.ts";
import type { JournalEvent } from "../../core/journal.ts";
import type { DeviceAgent } from "../../device-sim/agent.ts";
import { ProblemError } from "../../protocol/problem.ts";
import { withSelections, type PlannedStep, type ScenarioPlan } from "../format/plan.ts";
import { expectationsOf, type Expectation, type Step } from "../format/schema.ts";
import { World, type WorldOptions } from "../world.ts";
import type { TransportKind } from "../world-transport.ts";
import { deviceSpec, perform, type Stage } from "./actions.ts";
import { isApiExpectation, judge, judgeAnswer, windowOf, type ApiExpectation, type EventWindow, type PhoneView, type Verdict, type WorldView } from "./expectations.ts";
import { resolveStepTime } from "../format/step-time.ts";
import type { DeviceInfo, ExpectationResult, ScenarioResult, StepResult } from "./result.ts";
import { mockOnlyReason, skipReason } from "../target/observable.ts";
import { checkLenderKeys, remoteAccountView, skippedScenario, skippedVerdict, targetLabel, withTargetImeis } from "../target/remote-run.ts";
import { targetWire, type Target } from "../target/target-wire.ts";

export interface PlayOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number | string;
  /** `in-process` (default) goes through the Hono app; `http` through a real loopback server; `direct` skips HTTP. */
  readonly transport?: Extract<TransportKind, "direct" | "in-process" | "http">;
  /** Called after each step, for progress on a terminal. */
  readonly onProgress?: (progress: { readonly step: number; readonly steps: number; readonly at: Millis }) => void;
  /**
   * `fleet` folds routine heartbeats into counters instead of keeping each one (types an expectation of the
   * scenario counts are kept), so a large fleet fits in memory; verdicts are the same as with `full` (default).
   */
  readonly journal?: JournalMode;
  /** Real milliseconds since some origin, to report how long the run took; the core never reads the wall clock. */
  readonly wallClock?: () => number;
  /** Real epoch milliseconds, read once at the start for the report's timestamp. */
  readonly wallTime?: () => number;
  /**
   * Another implementation of PROTOCOL.md to play against instead of Heartlock's mock (`heartlock run
   * --target`): the phones run here, the lock service is the target, and what only the mock can answer is
   * skipped (see scenarios/target/observable.ts). Overrides `transport`.
   */
  readonly target?: Target;
}

export type JournalMode = "full" | "fleet";

/** How many events a failed expectation shows from just before it. */
const RECENT_EVENTS = 8;

interface Pending {
  readonly decideAt: Millis;
  readonly step: number;
  readonly line?: number;
  readonly expectation: Expectation;
  readonly window: EventWindow;
}

/** How a run moves the world's clock to a time: at once (the default), or paced for a live audience. */
export type Advance = (world: World, at: Millis) => Promise<void>;

export interface RunOptions extends PlayOptions {
  /** The studio paces the clock; a CLI run jumps. Every wait of the run goes through it. */
  readonly advance?: Advance;
  /** Given to the world: how its service and phones see the clock (see WorldOptions.steer). */
  readonly steer?: WorldOptions["steer"];
  /** Keys instead of the well-known test keys (see WorldOptions.keys). */
  readonly keys?: WorldOptions["keys"];
  /** Extra lenders to give keys to, beyond the scenario's own (the server's configured lenders). */
  readonly extraLenders?: readonly string[];
  /** What a long-running server adds to the world: journal retention, CSPRNG credentials, unguessable cast keys. */
  readonly serving?: Pick<WorldOptions, "journal" | "credentials" | "lenderKey" | "serverKey">;
}

const jump: Advance = (world, at) => world.runUntil(at);

function usesMitm(planned: { readonly step: unknown }): boolean {
  const step = planned.step as { do?: unknown; kind?: unknown };
  return step.do === "facilitator.fault" && step.kind === "mitm";
}

/**
 * Plays a planned scenario on a fresh world: the cast is registered and switched on, then each step runs at
 * its simulated time, after everything due before it. Expectations with a `within` window are decided when
 * the window closes. Same plan and seed, same journal, event for event, through every transport.
 */
export async function playScenario(plan: ScenarioPlan, options: PlayOptions = {}): Promise<ScenarioResult> {
  const { target } = options;
  if (target !== undefined) {
    const reason = mockOnlyReason(plan);
    if (reason !== undefined) return skippedScenario(plan, options.seed ?? plan.scenario.seed ?? 1, target, reason);
    checkLenderKeys(plan, target);
  }
  const run = await ScenarioRun.open(target ? withTargetImeis(plan) : plan, options);
  try {
    for (const planned of plan.steps) await run.play(planned);
    await run.finish();
    return run.result();
  } finally {
    await run.close();
  }
}

/**
 * One scenario being played, step by step. `playScenario` drives it straight through; the studio drives it
 * live (paced, paused, stepped) and adds the steps its controls perform. Either way the result tells the same
 * story, from the same journal.
 */
export class ScenarioRun {
  private readonly stepResults: StepResult[] = [];
  private readonly verdicts: ExpectationResult[] = [];
  private readonly pending: Pending[] = [];
  private readonly stepWall: number[] = [];
  private readonly ranAt: string | undefined;
  private readonly view: WorldView;
  private finished = false;
  private acts = 0;
  private lastProblem: ProblemError | undefined;

  private constructor(
    readonly plan: ScenarioPlan,
    readonly world: World,
    readonly stage: Stage,
    private readonly options: RunOptions,
    private readonly seed: number | string,
    private readonly transport: string,
    private readonly began: number,
  ) {
    this.view = worldView(world, plan, stage.phones);
    const wallTime = options.wallTime?.();
    this.ranAt = wallTime === undefined ? undefined : new Date(wallTime).toISOString();
  }

  /** Builds the world and puts the cast on stage: phones registered and switched on, as the plan says. */
  static async open(planned: ScenarioPlan, options: RunOptions = {}): Promise<ScenarioRun> {
    const began = options.wallClock?.() ?? 0;
    const seed = options.seed ?? planned.scenario.seed ?? 1;
    const plan = withSelections(planned, seed);
    const { scenario } = plan;
    const { target } = options;
    const transport = target ? targetLabel(target) : (options.transport ?? "in-process");
    const lenders = [...new Set([...plan.lenders.map((lender) => lender.id), ...(options.extraLenders ?? [])])];
    const world = await World.create({
      seed,
      start: iso(plan.start),
      timeZone: plan.calendar.timeZone,
      lenderTimeZones: Object.fromEntries(plan.lenders.flatMap((lender) => (lender.timeZone === undefined ? [] : [[lender.id, lender.timeZone]]))),
      holidays: scenario.holidays ?? [],
      policy: scenario.policy ?? {},
      ...(scenario.sync?.delay ? { syncDelay: { min: scenario.sync.delay.min, max: scenario.sync.delay.max ?? scenario.sync.delay.min } } : {}),
      ...(target ? { remote: (clock) => targetWire(target, clock), keys: target.keys } : { transport: options.transport ?? "in-process" }),
      lenders,
      ...(options.keys && !target ? { keys: options.keys } : {}),
      ...(options.steer ? { steer: options.steer } : {}),
      // The key is pinned where the story is about it (a `mitm` fault) or the server asks for it (`serve`).
      ...(plan.steps.some(usesMitm) ? { serverKey: true } : {}),
      ...options.serving,
      ...(options.journal === "fleet" ? { fleet: { keepTypes: countedEventTypes(plan) } } : {}),
      // Recorded only when a check reads them: a fleet's heartbeats would otherwise be kept twice.
      ...(checksRequests(plan) ? { recordRequests: true } : {}),
    });
    try {
      const phones = new Map<string, DeviceAgent>();
      const stage: Stage = { world, plan, phones, codes: new Map(), offlineCodes: new Map(), counters: new Map() };
      for (const device of plan.devices) {
        const spec = device.account === undefined ? { accountId: "none", imei: device.imei } : deviceSpec(stage, device);
        phones.set(device.name, await world.addDevice({ ...spec, financed: device.financed, register: device.register, poweredOn: device.poweredOn, online: device.online }));
      }
      return new ScenarioRun(plan, world, stage, options, seed, transport, began);
    } catch (error) {
      await world.close();
      throw error;
    }
  }

  get steps(): readonly StepResult[] {
    return this.stepResults;
  }

  get expectations(): readonly ExpectationResult[] {
    return this.verdicts;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Waits (through `advance`) until the step's time, deciding any checks whose window closes first, then runs it. */
  async play(planned: PlannedStep): Promise<StepResult> {
    const began = this.options.wallClock?.();
    await this.settle(planned.at);
    await this.advance(planned.at);
    const result = await this.perform(planned.step, planned.index, planned.line);
    for (const [n, expectation] of expectationsOf(planned.step).entries()) {
      const { window, decideAt } = windowOf(expectation, planned.at, (text) => resolveStepTime(text, planned.at, this.plan.calendar));
      const line = planned.expectLines[n] ?? planned.line;
      const item: Pending = { decideAt, step: planned.index, ...(line !== undefined ? { line } : {}), expectation, window };
      if (decideAt <= planned.at) await this.decide(item);
      else this.pending.push(item);
    }
    if (began !== undefined) this.stepWall[planned.index] = round((this.options.wallClock?.() ?? began) - began);
    this.options.onProgress?.({ step: planned.index + 1, steps: this.plan.steps.length, at: planned.at });
    return result;
  }

  /**
   * Runs an action now, outside the script: a control pressed in the studio. It is recorded as a step like
   * any other, so the exported run tells what the facilitator did and when.
   */
  async act(step: Step): Promise<{ readonly step: StepResult; readonly problem?: ProblemError }> {
    // Numbered after the script's steps, so a step's index still says where it came from.
    this.acts += 1;
    const before = this.lastProblem;
    const result = await this.perform(step, this.plan.steps.length + this.acts - 1);
    // The lock service's own answer (status, code) when it refused: the studio passes it on as it came.
    return { step: result, ...(result.error !== undefined && this.lastProblem !== before && this.lastProblem ? { problem: this.lastProblem } : {}) };
  }

  /** Decides the checks still open and runs the clock to the scenario's end. */
  async finish(): Promise<void> {
    await this.settle(Number.POSITIVE_INFINITY);
    await this.advance(Math.max(this.plan.end, this.world.now()));
    this.finished = true;
  }

  /** The run so far (or whole, after finish): what the reporters read. */
  result(): ScenarioResult {
    const { plan, world, stage } = this;
    const { scenario } = plan;
    const journal = world.journal.after(0);
    const screens = Object.fromEntries([...stage.phones].map(([name, phone]) => [name, world.screen(phone)]));
    const devices: Record<string, DeviceInfo> = Object.fromEntries(
      plan.devices.map((device) => {
        const deviceId = stage.phones.get(device.name)?.deviceId;
        return [
          device.name,
          {
            name: device.name,
            imei: device.imei,
            ...(deviceId !== undefined ? { deviceId } : {}),
            ...(device.account !== undefined ? { account: device.account } : {}),
            ...(device.lender !== undefined ? { lender: device.lender } : {}),
          },
        ];
      }),
    );
    return {
      scenario: {
        name: plan.name,
        title: scenario.title,
        summary: scenario.summary,
        objectives: scenario.objectives,
        ...(plan.file !== undefined ? { file: plan.file } : {}),
      },
      seed: this.seed,
      transport: this.transport,
      passed: this.verdicts.every((expectation) => expectation.passed || expectation.skipped !== undefined) && this.stepResults.every((step) => step.error === undefined),
      startedAt: iso(plan.start),
      endedAt: iso(world.now()),
      timeZone: plan.calendar.timeZone,
      steps: [...this.stepResults],
      expectations: [...this.verdicts],
      journal,
      screens,
      devices,
      stats: {
        events: journal.length,
        heartbeats: countOf(world.journal, "heartbeat"),
        simulatedMs: world.now() - plan.start,
        wallMs: round((this.options.wallClock?.() ?? 0) - this.began),
        ...(this.ranAt !== undefined ? { ranAt: this.ranAt } : {}),
        ...(this.stepWall.length > 0 ? { stepWallMs: Array.from({ length: this.plan.steps.length }, (_, index) => this.stepWall[index] ?? 0) } : {}),
      },
    };
  }

  async close(): Promise<void> {
    await this.world.close();
  }

  private advance(at: Millis): Promise<void> {
    return (this.options.advance ?? jump)(this.world, at);
  }

  private async perform(step: Step, index: number, line?: number): Promise<StepResult> {
    const { world } = this;
    const seqBefore = world.journal.lastSeq;
    const at = world.now();
    let outcome: string | undefined;
    let error: string | undefined;
    if (step.do !== undefined) {
      const expectError = "expectError" in step ? step.expectError : undefined;
      try {
        outcome = await perform(this.stage, step);
        if (expectError !== undefined) error = `expected the call to fail with ${expectError}, but it succeeded: ${outcome}`;
      } catch (thrown) {
        if (thrown instanceof ProblemError) this.lastProblem = thrown;
        const code = thrown instanceof ProblemError ? thrown.code : undefined;
        // A ProblemError's message is already "409 standing_not_good: <detail>".
        if (expectError !== undefined && code === expectError) outcome = `refused as expected: ${code} (${thrown instanceof ProblemError ? thrown.detail : ""})`;
        else {
          const message = thrown instanceof Error ? thrown.message : String(thrown);
          error = expectError === undefined ? message : `expected the call to fail with ${expectError}, but it failed with ${message}`;
        }
      }
    }
    const result: StepResult = {
      index,
      ...(line !== undefined ? { line } : {}),
      at: iso(at),
      ...(step.say !== undefined ? { say: step.say } : {}),
      ...(step.do !== undefined ? { action: { do: step.do, params: paramsOf(step) } } : {}),
      ...(outcome !== undefined ? { outcome } : {}),
      ...(error !== undefined ? { error } : {}),
      seqBefore,
      seqAfter: world.journal.lastSeq,
    };
    this.stepResults.push(result);
    return result;
  }

  private async decide(item: Pending): Promise<void> {
    const { expectation } = item;
    const verdicts = isApiExpectation(expectation) ? await this.askApi(expectation) : judge(expectation, await this.viewFor(expectation), item.window);
    const skip = this.options.target ? skipReason(expectation) : undefined;
    for (const found of verdicts) {
      const verdict = skip === undefined ? found : skippedVerdict(found, skip);
      const recentEvents: JournalEvent[] = verdict.passed || skip !== undefined ? [] : recentBefore(this.world.journal.after(0), item.decideAt);
      this.verdicts.push({ step: item.step, ...(item.line !== undefined ? { line: item.line } : {}), at: iso(this.world.now()), ...verdict, recentEvents });
    }
  }

  /** Against a target, an account's standing and sync are its lender API's answer; otherwise the mock's own state. */
  private async viewFor(expectation: Expectation): Promise<WorldView> {
    const account = !("event" in expectation) && !("device" in expectation) && "account" in expectation ? expectation.account : undefined;
    if (this.options.target === undefined || account === undefined) return this.view;
    return remoteAccountView(this.world, this.plan, this.view, account);
  }

  /**
   * Support's lookup and the lender's account view are read through the world's transport, as a client
   * would: the calls are journaled (device.looked_up, account.viewed) like any other, so the journal stays
   * the one history of the run.
   */
  private async askApi(expectation: ApiExpectation): Promise<Verdict[]> {
    const { world, plan } = this;
    const missing = (thrown: unknown): undefined => {
      if (thrown instanceof ProblemError && thrown.status === 404) return undefined;
      throw thrown;
    };
    if ("support" in expectation) {
      const names = plan.groups.get(expectation.support.device) ?? [];
      const verdicts: Verdict[] = [];
      for (const name of names) {
        const phone = this.stage.phones.get(name);
        if (!phone) continue;
        const view = await world.support.call("supportLookup", { query: { imei: phone.imei } }).catch(missing);
        verdicts.push(...judgeAnswer(expectation, { kind: "support", phone: name, ...(view ? { view } : {}) }));
      }
      return verdicts;
    }
    const account = plan.accounts.get(expectation.lender.account);
    const view = account ? await world.lender(account.lender).call("getAccount", { params: { accountId: account.id } }).catch(missing) : undefined;
    return judgeAnswer(expectation, { kind: "lender", ...(view ? { view } : {}) });
  }

  /** Decides every `within` expectation whose window closes by `until`, each at its own closing time. */
  private async settle(until: Millis): Promise<void> {
    this.pending.sort((a, b) => a.decideAt - b.decideAt);
    while (this.pending.length > 0 && (this.pending[0]?.decideAt ?? Infinity) <= until) {
      const item = this.pending.shift();
      if (!item) break;
      await this.advance(item.decideAt);
      await this.decide(item);
    }
  }
}

function worldView(world: World, plan: ScenarioPlan, phones: ReadonlyMap<string, DeviceAgent>): WorldView {
  const accountOf = new Map(plan.devices.map((device) => [device.name, device.account]));
  return {
    get now() {
      return world.now();
    },
    get journal() {
      return world.journal.after(0);
    },
    get requests() {
      return world.requests;
    },
    phones(name: string): PhoneView[] {
      return (plan.groups.get(name) ?? []).flatMap((deviceName) => {
        const phone = phones.get(deviceName);
        if (!phone) return [];
        return [
          {
            name: deviceName,
            imei: phone.imei,
            ...(phone.deviceId !== undefined ? { deviceId: phone.deviceId } : {}),
            ...(accountOf.get(deviceName) !== undefined ? { accountId: accountOf.get(deviceName) } : {}),
            snapshot: phone.snapshot,
            // Rendering a screen formats money and dates; only screen expectations need it.
            get screen() {
              return world.screen(phone);
            },
          },
        ];
      });
    },
    phonesOfAccount(id: string): PhoneView[] {
      return plan.devices.filter((device) => device.account === id).flatMap((device) => this.phones(device.name));
    },
    account(id: string) {
      const planned = plan.accounts.get(id);
      const state = world.service.state;
      const account = planned && state.store.getAccount(planned.lender, planned.id);
      return account ? { standing: account.standing, sync: state.syncView(account) } : undefined;
    },
  };
}

/** Tenths of a millisecond are as fine as a report needs. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The event types a scenario's expectations count or order by (`before:`, `after:`): the fleet journal keeps these in full. */
export function countedEventTypes(plan: ScenarioPlan): Set<string> {
  const types = new Set<string>();
  for (const planned of plan.steps) {
    for (const expectation of expectationsOf(planned.step)) {
      if (!("event" in expectation)) continue;
      types.add(expectation.event);
      // An anchor folded away would move: `after: heartbeat` would count nothing, `before: heartbeat` everything.
      if (expectation.before !== undefined) types.add(expectation.before);
      if (expectation.after !== undefined) types.add(expectation.after);
    }
  }
  return types;
}

/** True when some step checks the requests the phones sent (`request:`). */
function checksRequests(plan: ScenarioPlan): boolean {
  return plan.steps.some((planned) => expectationsOf(planned.step).some((expectation) => "request" in expectation));
}

function recentBefore(journal: readonly JournalEvent[], at: Millis): JournalEvent[] {
  const before = journal.filter((event) => Date.parse(event.at) <= at);
  return before.slice(-RECENT_EVENTS);
}

function paramsOf(step: Record<string, unknown>): Record<string, unknown> {
  const { at: _at, after: _after, say: _say, expect: _expect, do: _do, ...params } = step;
  return params;
}
