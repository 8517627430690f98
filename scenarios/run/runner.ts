import { iso, type Millis } from "../../core/clock.ts";
import type { JournalEvent } from "../../core/journal.ts";
import type { DeviceAgent } from "../../device-sim/agent.ts";
import { ProblemError } from "../../protocol/problem.ts";
import type { ScenarioPlan } from "../format/plan.ts";
import { expectationsOf, type Expectation } from "../format/schema.ts";
import { World } from "../world.ts";
import type { TransportKind } from "../world-transport.ts";
import { deviceSpec, perform, type Stage } from "./actions.ts";
import { judge, windowOf, type EventWindow, type PhoneView, type WorldView } from "./expectations.ts";
import type { DeviceInfo, ExpectationResult, ScenarioResult, StepResult } from "./result.ts";

export interface PlayOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number | string;
  /** `in-process` (default) goes through the Hono app; `http` through a real loopback server; `direct` skips HTTP. */
  readonly transport?: Extract<TransportKind, "direct" | "in-process" | "http">;
  /** Called after each step, for progress on a terminal. */
  readonly onProgress?: (progress: { readonly step: number; readonly steps: number; readonly at: Millis }) => void;
  /** Real milliseconds since some origin, to report how long the run took; the core never reads the wall clock. */
  readonly wallClock?: () => number;
}

/** How many events a failed expectation shows from just before it. */
const RECENT_EVENTS = 8;

interface Pending {
  readonly decideAt: Millis;
  readonly step: number;
  readonly line?: number;
  readonly expectation: Expectation;
  readonly window: EventWindow;
}

/**
 * Plays a planned scenario on a fresh world: the cast is registered and switched on, then each step runs at
 * its simulated time, after everything due before it. Expectations with a `within` window are decided when
 * the window closes. Same plan and seed, same journal, event for event, through every transport.
 */
export async function playScenario(plan: ScenarioPlan, options: PlayOptions = {}): Promise<ScenarioResult> {
  const began = options.wallClock?.() ?? 0;
  const { scenario } = plan;
  const seed = options.seed ?? scenario.seed ?? 1;
  const transport = options.transport ?? "in-process";
  const world = await World.create({
    seed,
    start: iso(plan.start),
    timeZone: plan.calendar.timeZone,
    holidays: scenario.holidays ?? [],
    policy: scenario.policy ?? {},
    ...(scenario.sync?.delay ? { syncDelay: { min: scenario.sync.delay.min, max: scenario.sync.delay.max ?? scenario.sync.delay.min } } : {}),
    transport,
    lenders: plan.lenders.map((lender) => lender.id),
  });
  try {
    const phones = new Map<string, DeviceAgent>();
    const stage: Stage = { world, plan, phones, codes: new Map(), offlineCodes: new Map(), counters: new Map() };
    for (const device of plan.devices) {
      const spec = device.account === undefined ? { accountId: "none", imei: device.imei } : deviceSpec(stage, device);
      phones.set(device.name, await world.addDevice({ ...spec, financed: device.financed, register: device.register, poweredOn: device.poweredOn, online: device.online }));
    }

    const steps: StepResult[] = [];
    const expectations: ExpectationResult[] = [];
    const pending: Pending[] = [];
    const view = worldView(world, plan, phones);

    const decide = (item: Pending): void => {
      for (const verdict of judge(item.expectation, view, item.window)) {
        const recentEvents: JournalEvent[] = verdict.passed ? [] : recentBefore(world.journal.after(0), item.decideAt);
        expectations.push({ step: item.step, ...(item.line !== undefined ? { line: item.line } : {}), at: iso(world.now()), ...verdict, recentEvents });
      }
    };
    /** Decides every `within` expectation whose window closes by `until`, each at its own closing time. */
    const settle = async (until: Millis): Promise<void> => {
      pending.sort((a, b) => a.decideAt - b.decideAt);
      while (pending.length > 0 && (pending[0]?.decideAt ?? Infinity) <= until) {
        const item = pending.shift();
        if (!item) break;
        await world.runUntil(item.decideAt);
        decide(item);
      }
    };

    for (const planned of plan.steps) {
      await settle(planned.at);
      await world.runUntil(planned.at);
      const { step } = planned;
      const seqBefore = world.journal.lastSeq;
      let outcome: string | undefined;
      let error: string | undefined;
      if (step.do !== undefined) {
        const expectError = "expectError" in step ? step.expectError : undefined;
        try {
          outcome = await perform(stage, step);
          if (expectError !== undefined) error = `expected the call to fail with ${expectError}, but it succeeded: ${outcome}`;
        } catch (thrown) {
          const code = thrown instanceof ProblemError ? thrown.code : undefined;
          if (expectError !== undefined && code === expectError) outcome = `refused as expected: ${code} (${thrown instanceof Error ? thrown.message : ""})`;
          else error = thrown instanceof ProblemError ? `${thrown.status} ${thrown.code}: ${thrown.message}` : thrown instanceof Error ? thrown.message : String(thrown);
        }
      }
      steps.push({
        index: planned.index,
        ...(planned.line !== undefined ? { line: planned.line } : {}),
        at: iso(planned.at),
        ...(step.say !== undefined ? { say: step.say } : {}),
        ...(step.do !== undefined ? { action: { do: step.do, params: paramsOf(step) } } : {}),
        ...(outcome !== undefined ? { outcome } : {}),
        ...(error !== undefined ? { error } : {}),
        seqBefore,
        seqAfter: world.journal.lastSeq,
      });
      for (const expectation of expectationsOf(step)) {
        const { window, decideAt } = windowOf(expectation, planned.at);
        const item: Pending = { decideAt, step: planned.index, ...(planned.line !== undefined ? { line: planned.line } : {}), expectation, window };
        if (decideAt <= planned.at) decide(item);
        else pending.push(item);
      }
      options.onProgress?.({ step: planned.index + 1, steps: plan.steps.length, at: planned.at });
    }
    await settle(Number.POSITIVE_INFINITY);
    await world.runUntil(Math.max(plan.end, world.now()));

    const journal = world.journal.after(0);
    const screens = Object.fromEntries([...phones].map(([name, phone]) => [name, world.screen(phone)]));
    const devices: Record<string, DeviceInfo> = Object.fromEntries(
      plan.devices.map((device) => {
        const deviceId = phones.get(device.name)?.deviceId;
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
      seed,
      transport,
      passed: expectations.every((expectation) => expectation.passed) && steps.every((step) => step.error === undefined),
      startedAt: iso(plan.start),
      endedAt: iso(world.now()),
      timeZone: plan.calendar.timeZone,
      steps,
      expectations,
      journal,
      screens,
      devices,
      stats: {
        events: journal.length,
        heartbeats: journal.filter((event) => event.type === "heartbeat").length,
        simulatedMs: world.now() - plan.start,
        wallMs: Math.round(((options.wallClock?.() ?? 0) - began) * 10) / 10,
      },
    };
  } finally {
    await world.close();
  }
}

function worldView(world: World, plan: ScenarioPlan, phones: ReadonlyMap<string, DeviceAgent>): WorldView {
  return {
    get now() {
      return world.now();
    },
    get journal() {
      return world.journal.after(0);
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
            snapshot: phone.snapshot,
            // Rendering a screen formats money and dates; only screen expectations need it.
            get screen() {
              return world.screen(phone);
            },
          },
        ];
      });
    },
    account(id: string) {
      const planned = plan.accounts.get(id);
      const state = world.service.state;
      const account = planned && state.store.getAccount(planned.lender, planned.id);
      return account ? { standing: account.standing, sync: state.syncView(account) } : undefined;
    },
  };
}

function recentBefore(journal: readonly JournalEvent[], at: Millis): JournalEvent[] {
  const before = journal.filter((event) => Date.parse(event.at) <= at);
  return before.slice(-RECENT_EVENTS);
}

function paramsOf(step: Record<string, unknown>): Record<string, unknown> {
  const { at: _at, after: _after, say: _say, expect: _expect, do: _do, ...params } = step;
  return params;
}
