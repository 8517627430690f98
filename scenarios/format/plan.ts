import { BusinessCalendar, InvalidCalendar } from "../../core/calendar.ts";
import type { Millis } from "../../core/clock.ts";
import { parseDuration } from "../../core/duration.ts";
import { imeiFrom, isValidImei } from "../../protocol/imei.ts";
import type { Contact } from "../../protocol/values.ts";
import { ScenarioError, type Locate, type ScenarioProblem } from "./problems.ts";
import { expectationsOf, type Scenario, type Step } from "./schema.ts";
import { resolveStepTime } from "./step-time.ts";
import { checkEventExpectation, suggest } from "./event-check.ts";
import { checkRequestExpectation } from "./request-check.ts";
import { candidatesOf, choose, selectionKey, type DeviceRef, type Selection } from "./selection.ts";

/**
 * A scenario with everything that can be decided before it runs: who is on stage (fleets expanded, every
 * name resolved), when each step happens, and when the run ends. Anything that refers to nothing, or a
 * timeline that runs backwards, is refused here with its line, so a run never fails half-way for a typo.
 */
export interface ScenarioPlan {
  readonly name: string;
  readonly file?: string;
  readonly scenario: Scenario;
  /** For a variant of a `matrix:` scenario, its values; empty otherwise. */
  readonly variant: Readonly<Record<string, string | number>>;
  readonly calendar: BusinessCalendar;
  readonly start: Millis;
  /** The last step's time, or `until` when later. */
  readonly end: Millis;
  readonly lenders: readonly PlannedLender[];
  readonly accounts: ReadonlyMap<string, PlannedAccount>;
  readonly devices: readonly PlannedDevice[];
  /** A name in a step or expectation → the device names it stands for (a fleet's name stands for all of them). */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly steps: readonly PlannedStep[];
}

export interface PlannedLender {
  readonly id: string;
  readonly name?: string;
  /** Absent: the world's default test contact. */
  readonly contact?: Contact;
  readonly lockMessage?: LockMessage;
  readonly locale?: string;
  /** Its own time zone for its sync's business days; absent: the scenario's. */
  readonly timeZone?: string;
}

/** One text, or one per locale. */
export type LockMessage = string | Readonly<Record<string, string>>;

export interface PlannedAccount {
  readonly id: string;
  readonly lender: string;
  readonly owner?: string;
  readonly locale?: string;
}

export interface PlannedDevice {
  readonly name: string;
  readonly imei: string;
  readonly account?: string;
  readonly lender?: string;
  readonly model?: string;
  readonly lockMessage?: LockMessage;
  /** Resolved: the device's, its account's or its lender's (absent: English). */
  readonly locale?: string;
  readonly register: boolean;
  readonly financed: boolean;
  readonly poweredOn: boolean;
  readonly online: boolean;
}

export interface PlannedStep {
  readonly index: number;
  readonly step: Step;
  readonly at: Millis;
  readonly line?: number;
  /** The line of each of the step's expectations, in order: a failure points at its check, not its step. */
  readonly expectLines: readonly (number | undefined)[];
}

const DEFAULT_START = "2026-03-02T09:00";

export function planScenario(scenario: Scenario, source: { name: string; file?: string; locate: Locate; variant?: Readonly<Record<string, string | number>> }): ScenarioPlan {
  const problems: ScenarioProblem[] = [];
  // With a key, the problem is pointed at that key of the object at `path` (an unknown data key, say).
  const problem = (path: (string | number)[], message: string, key?: string): void => {
    problems.push({ message, path: key === undefined ? path : [...path, key], ...source.locate(path, key) });
  };

  let calendar: BusinessCalendar;
  try {
    calendar = new BusinessCalendar({ timeZone: scenario.timeZone ?? "UTC", holidays: [...(scenario.holidays ?? [])] });
  } catch (error) {
    if (!(error instanceof InvalidCalendar)) throw error;
    problem([scenario.timeZone !== undefined && /zone/i.test(error.message) ? "timeZone" : "holidays"], error.message);
    throw new ScenarioError(source.file ?? source.name, problems);
  }

  const lenders: PlannedLender[] = (scenario.lenders ?? [{ id: "lender-a" }]).map((lender) => ({
    id: lender.id,
    ...(lender.contact !== undefined ? { contact: lender.contact } : {}),
    ...(lender.name !== undefined ? { name: lender.name } : {}),
    ...(lender.lockMessage !== undefined ? { lockMessage: lender.lockMessage } : {}),
    ...(lender.locale !== undefined ? { locale: lender.locale } : {}),
    ...(lender.timeZone !== undefined ? { timeZone: lender.timeZone } : {}),
  }));
  (scenario.lenders ?? []).forEach((lender, index) => {
    if (lender.timeZone === undefined) return;
    try {
      new BusinessCalendar({ timeZone: lender.timeZone });
    } catch (error) {
      if (!(error instanceof InvalidCalendar)) throw error;
      problem(["lenders", index, "timeZone"], error.message);
    }
  });
  unique(lenders.map((lender) => lender.id), "lender", (index) => ["lenders", index, "id"], problem);
  const lenderIds = new Set(lenders.map((lender) => lender.id));
  const firstLender = lenders[0]?.id ?? "lender-a";

  const accounts = new Map<string, PlannedAccount>();
  (scenario.accounts ?? []).forEach((account, index) => {
    if (accounts.has(account.id)) problem(["accounts", index, "id"], `the account "${account.id}" is declared twice`);
    if (account.lender !== undefined && !lenderIds.has(account.lender)) problem(["accounts", index, "lender"], `no lender named "${account.lender}"`);
    accounts.set(account.id, { id: account.id, lender: account.lender ?? firstLender, ...(account.owner !== undefined ? { owner: account.owner } : {}), ...(account.locale !== undefined ? { locale: account.locale } : {}) });
  });

  const devices: PlannedDevice[] = [];
  const declaredAt: number[] = [];
  const groups = new Map<string, string[]>();
  let imeiCounter = 0;
  scenario.devices.forEach((spec, index) => {
    if (spec.imei !== undefined && !isValidImei(spec.imei)) problem(["devices", index, "imei"], "must be 15 digits with a valid Luhn check digit");
    const financed = spec.financed !== false;
    if (financed && spec.account === undefined) problem(["devices", index], 'a financed device needs an "account" (or financed: false)');
    const count = spec.count ?? 1;
    const names: string[] = [];
    for (let n = 1; n <= count; n += 1) {
      const name = spec.count === undefined ? spec.name : `${spec.name}-${n}`;
      imeiCounter += 1;
      const accountId = spec.account?.replaceAll("{n}", String(n));
      if (accountId !== undefined && !accounts.has(accountId)) accounts.set(accountId, { id: accountId, lender: firstLender });
      const account = accountId !== undefined ? accounts.get(accountId) : undefined;
      const locale = spec.locale ?? account?.locale ?? lenders.find((lender) => lender.id === (account?.lender ?? firstLender))?.locale;
      devices.push({
        name,
        imei: spec.imei ?? imeiFrom(`35${String(imeiCounter).padStart(12, "0")}`),
        ...(accountId !== undefined ? { account: accountId, lender: accounts.get(accountId)?.lender ?? firstLender } : {}),
        ...(spec.model !== undefined ? { model: spec.model } : {}),
        ...(spec.lockMessage !== undefined ? { lockMessage: spec.lockMessage } : {}),
        ...(locale !== undefined ? { locale } : {}),
        register: financed && spec.register !== false,
        financed,
        poweredOn: spec.poweredOn !== false,
        online: spec.online !== false,
      });
      names.push(name);
      declaredAt.push(index);
    }
    if (spec.count !== undefined) groups.set(spec.name, names);
  });
  unique(devices.map((device) => device.name), "device", (index) => ["devices", declaredAt[index] ?? 0, "name"], problem);
  unique(devices.map((device) => device.imei), "IMEI", (index) => ["devices", declaredAt[index] ?? 0, "imei"], problem);
  for (const device of devices) if (!groups.has(device.name)) groups.set(device.name, [device.name]);

  let start: Millis = calendar.localTime(DEFAULT_START);
  try {
    if (scenario.start !== undefined) start = resolveStepTime(scenario.start, 0, calendar);
  } catch (error) {
    problem(["start"], messageOf(error));
  }

  const steps: PlannedStep[] = [];
  let previous = start;
  scenario.timeline.forEach((step, index) => {
    const path = ["timeline", index];
    let at = previous;
    try {
      if (step.at !== undefined && step.after !== undefined) problem(path, 'use "at" or "after", not both');
      else if (step.at !== undefined) at = resolveStepTime(step.at, previous, calendar);
      else if (step.after !== undefined) at = previous + parseDuration(step.after);
    } catch (error) {
      problem([...path, "at"], messageOf(error));
    }
    if (at < previous) problem([...path, "at"], `goes back in time: ${calendar.localDateTime(at)} is before the previous step (${calendar.localDateTime(previous)})`);
    checkReferences(step, path, { accounts, groups, devices }, problem, Math.max(at, previous), calendar);
    const expectLines = expectationsOf(step).map((_, n) => source.locate(Array.isArray(step.expect) ? [...path, "expect", n] : [...path, "expect"])?.line);
    steps.push({ index, step, at: Math.max(at, previous), ...lineOf(source.locate(path)), expectLines });
    previous = Math.max(at, previous);
    // The facilitator moving the clock moves the story: the next step's "after" counts from there.
    if (step.do === "facilitator.advance") previous += parseDuration(step.by);
  });

  let end = previous;
  if (scenario.until !== undefined) {
    try {
      end = /^P/.test(scenario.until) ? previous + parseDuration(scenario.until) : resolveStepTime(scenario.until, previous, calendar);
      if (end < previous) problem(["until"], "is before the last step");
    } catch (error) {
      problem(["until"], messageOf(error));
    }
  }

  if (problems.length > 0) throw new ScenarioError(source.file ?? source.name, problems);
  return { name: source.name, ...(source.file !== undefined ? { file: source.file } : {}), scenario, variant: source.variant ?? {}, calendar, start, end: Math.max(end, previous), lenders, accounts, devices, groups, steps };
}

/**
 * The plan with every `{ fleet, pattern, share }` selection of its steps and expectations resolved for a
 * seed, as groups named by `selectionKey`: actions and checks then look them up like any fleet name.
 */
export function withSelections(plan: ScenarioPlan, seed: number | string): ScenarioPlan {
  const selections: Selection[] = [];
  for (const { step } of plan.steps) {
    if ("device" in step && typeof step.device === "object") selections.push(step.device);
    for (const expectation of expectationsOf(step)) if ("device" in expectation && typeof expectation.device === "object") selections.push(expectation.device);
  }
  if (selections.length === 0) return plan;
  const groups = new Map(plan.groups);
  const names = plan.devices.map((device) => device.name);
  for (const selection of selections) groups.set(selectionKey(selection), choose(candidatesOf(selection, plan.groups, names), selection, seed));
  return { ...plan, groups };
}

/** The first names of a list, and how many more: a 1,000-phone fleet's names are no help in a one-line error. */
function someNames(names: readonly string[], shown = 12): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

interface Cast {
  readonly accounts: ReadonlyMap<string, PlannedAccount>;
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly devices: readonly PlannedDevice[];
}

function checkReferences(step: Step, path: (string | number)[], cast: Cast, problem: (path: (string | number)[], message: string, key?: string) => void, stepAt: Millis, calendar: BusinessCalendar): void {
  const device = (ref: DeviceRef | undefined, at: (string | number)[]): void => {
    if (ref === undefined) return;
    if (typeof ref === "string") {
      if (!cast.groups.has(ref)) problem(at, `no device named "${ref}"${suggest(ref, [...cast.groups.keys()])}; this scenario has ${someNames([...cast.groups.keys()])}`);
      return;
    }
    if (ref.fleet !== undefined && !cast.groups.has(ref.fleet)) {
      // A fleet is a group declared with count; its members' own names (shop-1 … shop-1000) are no fleet to list.
      const fleets = [...cast.groups].filter(([name, members]) => !(members.length === 1 && members[0] === name)).map(([name]) => name);
      problem([...at, "fleet"], `no fleet named "${ref.fleet}"${suggest(ref.fleet, fleets)}; this scenario has ${fleets.length ? `the fleets ${someNames(fleets)}` : "no fleet (a group declared with count)"}`);
    }
    else if (candidatesOf(ref, cast.groups, cast.devices.map((planned) => planned.name)).length === 0) problem([...at, "pattern"], `"${ref.pattern}" matches no device${ref.fleet !== undefined ? ` of fleet ${ref.fleet}` : ""}`);
  };
  const account = (id: string | undefined, at: (string | number)[]): void => {
    if (id !== undefined && !cast.accounts.has(id)) problem(at, `no account named "${id}"${suggest(id, [...cast.accounts.keys()])}; this scenario has ${someNames([...cast.accounts.keys()]) || "none"}`);
  };
  if ("device" in step) device(step.device, [...path, "device"]);
  if ("account" in step) account(step.account, [...path, "account"]);
  if (step.do === "lender.register") {
    const names = typeof step.device === "string" ? (cast.groups.get(step.device) ?? []) : candidatesOf(step.device, cast.groups, cast.devices.map((planned) => planned.name));
    for (const name of names) {
      const planned = cast.devices.find((candidate) => candidate.name === name);
      if (planned && (planned.register || !planned.financed)) problem([...path, "device"], `"${name}" is ${planned.financed ? "registered at the start" : "not financed"}; declare it with register: false to register it in a step`);
    }
  }
  if (step.do === "sync.delay" && step.max !== undefined && parseDuration(step.max) < parseDuration(step.min)) problem([...path, "max"], "is shorter than min");
  expectationsOf(step).forEach((expectation, index) => {
    const at = Array.isArray(step.expect) ? [...path, "expect", index] : [...path, "expect"];
    if ("device" in expectation) device(expectation.device, [...at, "device"]);
    if ("account" in expectation) account(expectation.account, [...at, "account"]);
    if ("support" in expectation) device(expectation.support.device, [...at, "support", "device"]);
    if ("lender" in expectation) account(expectation.lender.account, [...at, "lender", "account"]);
    if ("request" in expectation) {
      device(expectation.request.device, [...at, "request", "device"]);
      checkRequestExpectation(expectation.request, [...at, "request"], problem);
    }
    if ("event" in expectation) {
      checkEventExpectation(expectation, at, problem);
      if (expectation.between !== undefined) {
        try {
          const from = resolveStepTime(expectation.between.from, stepAt, calendar);
          const until = resolveStepTime(expectation.between.until, stepAt, calendar);
          if (until < from) problem([...at, "between", "until"], "is before from");
        } catch (error) {
          problem([...at, "between"], messageOf(error));
        }
      }
    }
  });
}

function unique(values: readonly string[], what: string, pathOf: (index: number) => (string | number)[], problem: (path: (string | number)[], message: string) => void): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) problem(pathOf(index), `the ${what} "${value}" appears twice`);
    seen.add(value);
  });
}

function lineOf(position: { line: number } | undefined): { line?: number } {
  return position === undefined ? {} : { line: position.line };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
