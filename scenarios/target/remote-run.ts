import { iso } from "../../core/clock.ts";
import { imeiFrom } from "../../protocol/imei.ts";
import { ProblemError } from "../../protocol/problem.ts";
import type { ScenarioPlan } from "../format/plan.ts";
import type { ScenarioResult } from "../run/result.ts";
import type { Verdict, WorldView } from "../run/expectations.ts";
import type { World } from "../world.ts";
import { TargetUnavailable, type Target } from "./target-wire.ts";

/** How a run against a target names its transport in every report. */
export function targetLabel(target: Target): string {
  return `target ${new URL(target.url).origin}`;
}

/** Every lender of the scenario needs its key on the target, or nothing it does can be played. */
export function checkLenderKeys(plan: ScenarioPlan, target: Target): void {
  const missing = plan.lenders.map((lender) => lender.id).filter((id) => target.keys.lenders[id] === undefined);
  if (missing.length > 0) throw new TargetUnavailable(`${plan.file ?? plan.name}: --keys gives no key for lender ${missing.join(", ")} (the scenario's); add it under "lenders"`);
}

/** A scenario that was not played: no steps, no checks, the reason; counted neither as passed nor as failed. */
export function skippedScenario(plan: ScenarioPlan, seed: number | string, target: Target, reason: string): ScenarioResult {
  const { scenario } = plan;
  return {
    scenario: { name: plan.name, title: scenario.title, summary: scenario.summary, objectives: scenario.objectives, ...(plan.file !== undefined ? { file: plan.file } : {}) },
    seed,
    transport: targetLabel(target),
    passed: false,
    skipped: `needs Heartlock's own mock: ${reason}`,
    startedAt: iso(plan.start),
    endedAt: iso(plan.start),
    timeZone: plan.calendar.timeZone,
    steps: [],
    expectations: [],
    journal: [],
    screens: {},
    devices: {},
    stats: { events: 0, heartbeats: 0, simulatedMs: 0, wallMs: 0 },
  };
}

/** A verdict that was not decided: what it would have checked, and why not. */
export function skippedVerdict(verdict: Verdict, reason: string): Verdict & { readonly skipped: string } {
  return { ...verdict, passed: false, found: "not checked", skipped: reason };
}

/**
 * The world view an account expectation reads against a target: the account as the target's lender API
 * answers it (GET /v1/lender/accounts/{id}), not Heartlock's mock, which a target run never calls.
 */
export async function remoteAccountView(world: World, plan: ScenarioPlan, view: WorldView, id: string): Promise<WorldView> {
  const planned = plan.accounts.get(id);
  const answer = planned
    ? await world
        .lender(planned.lender)
        .call("getAccount", { params: { accountId: planned.id } })
        .catch((thrown: unknown) => {
          if (thrown instanceof ProblemError && thrown.status === 404) return undefined;
          throw thrown;
        })
    : undefined;
  const account = answer && { standing: answer.standing, sync: answer.sync };
  return {
    get now() {
      return view.now;
    },
    get journal() {
      return view.journal;
    },
    get requests() {
      return view.requests;
    },
    phones: (name) => view.phones(name),
    phonesOfAccount: (name) => view.phonesOfAccount(name),
    account: (wanted) => (wanted === id ? account : view.account(wanted)),
  };
}

/**
 * The plan with its generated IMEIs moved to a range of their own (3597…): a `heartlock serve` used as the
 * target has its studio's phones on Heartlock's usual test IMEIs (3500…), which would otherwise check in on
 * the run's registrations and take over their credentials. IMEIs a scenario writes itself are kept.
 */
export function withTargetImeis(plan: ScenarioPlan): ScenarioPlan {
  const written = new Set(plan.scenario.devices.flatMap((device) => ("imei" in device && typeof device.imei === "string" ? [device.imei] : [])));
  let n = 0;
  const devices = plan.devices.map((device) => {
    if (written.has(device.imei)) return device;
    n += 1;
    return { ...device, imei: imeiFrom(`3597${String(n).padStart(10, "0")}`) };
  });
  return { ...plan, devices };
}
