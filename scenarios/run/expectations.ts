import { iso, type Millis } from "../../core/clock.ts";
import { parseDuration } from "../../core/duration.ts";
import type { JournalEvent } from "../../core/journal.ts";
import type { LockScreen } from "../../device-sim/lock-screen.ts";
import type { DeviceSnapshot } from "../../device-sim/snapshot.ts";
import type { Standing, SyncStatus } from "../../protocol/values.ts";
import type { z } from "zod";
import type { AccountView as AccountViewSchema } from "../../protocol/messages/lender.ts";
import type { SupportDeviceView as SupportDeviceViewSchema } from "../../protocol/messages/support.ts";
import type { Expectation } from "../format/schema.ts";
import { deviceRefName } from "../format/selection.ts";
import type { SentRequest } from "../../device-sim/transports/recording.ts";
import type { OperationId } from "../../protocol/operations.ts";

/**
 * Deciding whether an expectation holds. Pure: it reads a view of the world (phones, accounts, the journal)
 * and says what was expected and what was found, one verdict per phone when a name stands for a fleet.
 */
export interface WorldView {
  readonly now: Millis;
  readonly journal: readonly JournalEvent[];
  /** What the phones sent (only recorded when the scenario has a `request:` check). */
  readonly requests: readonly SentRequest[];
  /** The phones a name stands for (one, or a whole fleet). */
  phones(name: string): readonly PhoneView[];
  /** The phones of an account's devices, so an `account:` filter also covers phone events (command.issued, heartbeat). */
  phonesOfAccount(id: string): readonly PhoneView[];
  account(id: string): { readonly standing: Standing; readonly sync: SyncStatus } | undefined;
}

export interface PhoneView {
  readonly name: string;
  readonly imei: string;
  readonly deviceId?: string;
  /** The account the scenario registered the phone under (absent: a phone no lender registered). */
  readonly accountId?: string;
  readonly snapshot: DeviceSnapshot;
  readonly screen: LockScreen;
}

export interface Verdict {
  readonly description: string;
  readonly passed: boolean;
  readonly expected: string;
  readonly found: string;
}

/** The stretch of simulated time an event expectation counts, both ends included. */
export interface EventWindow {
  readonly from: Millis;
  readonly until: Millis;
  readonly label: string;
}

/** Expectations read from the lock service's API (support's lookup, the lender's account view): the runner calls it, then `judgeAnswer`. */
export type ApiExpectation = Extract<Expectation, { support: unknown } | { lender: unknown }>;

export function isApiExpectation(expectation: Expectation): expectation is ApiExpectation {
  return "support" in expectation || "lender" in expectation;
}

export function judge(expectation: Exclude<Expectation, ApiExpectation>, view: WorldView, window: EventWindow): Verdict[] {
  if ("event" in expectation) return [judgeEvent(expectation, view, window)];
  if ("request" in expectation) return [judgeRequest(expectation, view, window)];
  if ("device" in expectation) return view.phones(deviceRefName(expectation.device)).flatMap((phone) => judgePhone(expectation, phone, view.now));
  return judgeAccount(expectation, view);
}

/** What support's lookup answered for one phone (undefined: 404), or what the lender's account view answered. */
type SupportDeviceView = z.infer<typeof SupportDeviceViewSchema>;
type AccountView = z.infer<typeof AccountViewSchema>;

export type ApiAnswer =
  | { readonly kind: "support"; readonly phone: string; readonly view?: SupportDeviceView }
  | { readonly kind: "lender"; readonly view?: AccountView };

export function judgeAnswer(expectation: ApiExpectation, answer: ApiAnswer): Verdict[] {
  const verdicts: Verdict[] = [];
  const check = (description: string, expected: string, found: string, passed = expected === found): void => {
    verdicts.push({ description, passed, expected, found });
  };
  if ("support" in expectation && answer.kind === "support") {
    const wanted = expectation.support;
    const about = `support's lookup of ${answer.phone}`;
    const view = answer.view;
    if (wanted.found !== undefined) check(`${about} ${wanted.found ? "finds it" : "answers 404"}`, wanted.found ? "found" : "404", view ? "found" : "404");
    if (view === undefined) {
      if (wanted.found !== false) check(`${about} finds it`, "found", "404");
      return verdicts;
    }
    if (wanted.standing !== undefined) check(`${about} shows ${wanted.standing} standing`, wanted.standing, view.standing);
    if (wanted.sync !== undefined) check(`${about} shows sync ${wanted.sync}`, wanted.sync, view.sync.status);
    if (wanted.state !== undefined) check(`${about} shows state ${wanted.state}`, wanted.state, view.state ?? "no heartbeat yet");
    if (wanted.lockReason !== undefined) check(`${about} shows lock reason ${wanted.lockReason}`, wanted.lockReason, view.lockReason ?? "none");
  }
  if ("lender" in expectation && answer.kind === "lender") {
    const wanted = expectation.lender;
    const about = `the lender's view of account ${wanted.account}`;
    const view = answer.view;
    if (view === undefined) {
      check(`${about} exists`, "found", "404");
      return verdicts;
    }
    if (wanted.standing !== undefined) check(`${about} shows ${wanted.standing} standing`, wanted.standing, view.standing);
    if (wanted.sync !== undefined) check(`${about} shows sync ${wanted.sync}`, wanted.sync, view.sync.status);
    if (wanted.devices !== undefined) {
      const { passed, expected } = countMatches(view.devices.length, wanted.devices);
      check(`${about} lists ${expected} device(s)`, expected, String(view.devices.length), passed);
    }
    if (wanted.locking !== undefined) check(`${about} ${wanted.locking ? "names" : "names no"} lockAt`, String(wanted.locking), view.lockAt === undefined ? "false" : `true (${view.lockAt})`, (view.lockAt !== undefined) === wanted.locking);
  }
  return verdicts;
}

/**
 * Where an event expectation looks: forward from the step's time (within), back from it (since), or since the
 * start. Both ends are inclusive, so a `within` window also counts what fell due at the step's own instant
 * (a grace period ending at 11:00, with the step at 11:00).
 */
export function windowOf(expectation: Expectation, stepAt: Millis, localTime: (text: string) => Millis = Date.parse): { window: EventWindow; decideAt: Millis } {
  if ("event" in expectation && expectation.between !== undefined) {
    const from = localTime(expectation.between.from);
    const until = localTime(expectation.between.until);
    return { window: { from, until, label: `between ${expectation.between.from} and ${expectation.between.until}` }, decideAt: Math.max(stepAt, until) };
  }
  if ("event" in expectation && expectation.within !== undefined) {
    const until = stepAt + parseDuration(expectation.within);
    return { window: { from: stepAt, until, label: `within ${expectation.within}` }, decideAt: until };
  }
  if ("event" in expectation && expectation.since !== undefined) {
    return { window: { from: stepAt - parseDuration(expectation.since), until: stepAt, label: `in the last ${expectation.since}` }, decideAt: stepAt };
  }
  if ("request" in expectation && expectation.request.within !== undefined) {
    const until = stepAt + parseDuration(expectation.request.within);
    return { window: { from: stepAt, until, label: `within ${expectation.request.within}` }, decideAt: until };
  }
  if ("request" in expectation && expectation.request.since !== undefined) {
    return { window: { from: stepAt - parseDuration(expectation.request.since), until: stepAt, label: `in the last ${expectation.request.since}` }, decideAt: stepAt };
  }
  return { window: { from: Number.NEGATIVE_INFINITY, until: stepAt, label: "by now" }, decideAt: stepAt };
}

type DeviceExpectation = Extract<Expectation, { device: unknown; event?: undefined }>;
type AccountExpectation = Extract<Expectation, { account: string; event?: undefined; device?: undefined }>;
type EventExpectation = Extract<Expectation, { event: string }>;
type RequestExpectation = Extract<Expectation, { request: unknown }>;

/** The journal's name of a phone call (`unlock_attempt`) to the protocol's operation (`unlockAttempt`). */
const operationOf: Readonly<Record<RequestExpectation["request"]["call"], OperationId>> = { checkin: "checkin", heartbeat: "heartbeat", unlock_attempt: "unlockAttempt" };

function judgePhone(expectation: DeviceExpectation, phone: PhoneView, now: Millis): Verdict[] {
  const verdicts: Verdict[] = [];
  const check = (what: string, expected: string, found: string, passed = expected === found): void => {
    verdicts.push({ description: `${phone.name} ${what}`, passed, expected, found });
  };
  const { snapshot, screen } = phone;
  if (expectation.state !== undefined) check(`is ${expectation.state}`, expectation.state, snapshot.status);
  if (expectation.lockReason !== undefined) {
    check(`is locked for reason ${expectation.lockReason}`, `locked (${expectation.lockReason})`, snapshot.lock ? `${snapshot.status} (${snapshot.lock.reason})` : snapshot.status);
  }
  const wanted = expectation.screen;
  if (wanted !== undefined) {
    const text = screenText(screen);
    const shown = `the ${screen.kind} screen: "${oneLine(text)}"`;
    const allowed = `allows ${screen.actions.join(", ") || "nothing"}`;
    if (wanted.kind !== undefined) check(`shows the ${wanted.kind} screen`, wanted.kind, screen.kind);
    for (const words of list(wanted.shows)) check(`shows "${words}"`, `text containing "${words}"`, shown, text.toLowerCase().includes(words.toLowerCase()));
    for (const words of list(wanted.hides)) check(`does not show "${words}"`, `no text "${words}"`, shown, !text.toLowerCase().includes(words.toLowerCase()));
    for (const action of wanted.allows ?? []) check(`allows ${action}`, `${action} allowed`, allowed, screen.actions.includes(action));
    for (const action of wanted.disallows ?? []) check(`does not allow ${action}`, `${action} not allowed`, allowed, !screen.actions.includes(action));
    if (wanted.attemptsLeft !== undefined) {
      check(`has ${wanted.attemptsLeft} code attempts left`, String(wanted.attemptsLeft), String(screen.keypad?.attemptsLeft ?? "no keypad"));
    }
    if (wanted.coolingDown !== undefined) {
      const cooling = snapshot.keypad.cooldownUntil !== undefined && snapshot.keypad.cooldownUntil > now;
      check(wanted.coolingDown ? "is in a code cooldown" : "is not in a code cooldown", String(wanted.coolingDown), String(cooling));
    }
  }
  return verdicts;
}

function judgeAccount(expectation: AccountExpectation, view: WorldView): Verdict[] {
  const account = view.account(expectation.account);
  const verdicts: Verdict[] = [];
  if (expectation.standing !== undefined) {
    const found = account?.standing ?? "not registered";
    verdicts.push({ description: `account ${expectation.account} is in ${expectation.standing} standing`, passed: found === expectation.standing, expected: expectation.standing, found });
  }
  if (expectation.sync !== undefined) {
    const sync = account?.sync;
    const found = sync === undefined ? "not registered" : sync.status + (sync.status === "idle" ? "" : ` (expected by ${sync.expectedBy}${"error" in sync && sync.error ? `, ${sync.error}` : ""})`);
    verdicts.push({ description: `account ${expectation.account}'s sync is ${expectation.sync}`, passed: sync?.status === expectation.sync, expected: expectation.sync, found });
  }
  return verdicts;
}

function judgeEvent(expectation: EventExpectation, view: WorldView, window: EventWindow): Verdict {
  const phones = expectation.device === undefined ? undefined : view.phones(deviceRefName(expectation.device));
  const accountPhones = expectation.account === undefined ? [] : view.phonesOfAccount(expectation.account);
  /*
   * An event names its phone by deviceId or IMEI. An account's event (a payment, a default, a sync: it carries an
   * accountId and names no phone) concerns every phone of that account, so `device: phone, after:
   * payment.recorded` is anchored at the payment of the phone's account instead of never, and can fail.
   */
  const ofPhone = (event: JournalEvent, phone: PhoneView): boolean =>
    (phone.deviceId !== undefined && event.data.deviceId === phone.deviceId) ||
    event.data.imei === phone.imei ||
    (phone.accountId !== undefined && event.data.accountId === phone.accountId && event.data.deviceId === undefined && event.data.imei === undefined);
  const concerns = (event: JournalEvent): boolean =>
    (expectation.account === undefined || event.data.accountId === expectation.account || (event.data.accountId === undefined && accountPhones.some((phone) => ofPhone(event, phone)))) &&
    (phones === undefined || phones.some((phone) => ofPhone(event, phone)));
  // Ordering: the first event of the other type (same device and account filters) bounds the count by seq.
  const firstOf = (type: string | undefined): number | undefined => (type === undefined ? undefined : view.journal.find((event) => event.type === type && concerns(event))?.seq);
  const beforeSeq = firstOf(expectation.before);
  const afterSeq = firstOf(expectation.after);
  const matching = view.journal.filter(
    (event) =>
      Date.parse(event.at) >= window.from &&
      Date.parse(event.at) <= window.until &&
      event.type === expectation.event &&
      (expectation.actor === undefined || event.actor === expectation.actor) &&
      Object.entries(expectation.data ?? {}).every(([key, wanted]) => dataMatches(event.data[key], wanted)) &&
      (expectation.before === undefined || beforeSeq === undefined || event.seq < beforeSeq) &&
      (expectation.after === undefined || (afterSeq !== undefined && event.seq > afterSeq)) &&
      concerns(event),
  );
  const count = expectation.count ?? { min: 1 };
  const { passed, expected } = countMatches(matching.length, count);
  const about = [
    expectation.device === undefined ? undefined : deviceRefName(expectation.device),
    expectation.account && `account ${expectation.account}`,
    expectation.actor && `by ${expectation.actor}`,
    ...Object.entries(expectation.data ?? {}).map(([key, value]) => `${key} ${describeMatcher(value)}`),
    expectation.before && `before the first ${expectation.before}`,
    expectation.after && `after the first ${expectation.after}${afterSeq === undefined ? " (which has not happened)" : ""}`,
  ]
    .filter(Boolean)
    .join(", ");
  const found = matching.length === 0 ? "none" : `${matching.length}, first at ${matching[0]?.at}`;
  return {
    description: `${expectation.event}${about ? ` (${about})` : ""} ${expected === "0" ? "does not happen" : expected === "at least 1" ? "happens" : expected === "1" ? "happens once" : `happens ${expected} times`} ${window.label}`,
    passed,
    expected: `${expected} ${window.label}`,
    found,
  };
}

/** Counts the requests phones sent that match the call, the phones, every header and every body field. */
function judgeRequest(expectation: RequestExpectation, view: WorldView, window: EventWindow): Verdict {
  const wanted = expectation.request;
  const phones = wanted.device === undefined ? undefined : view.phones(deviceRefName(wanted.device));
  const imeis = phones === undefined ? undefined : new Set(phones.map((phone) => phone.imei));
  const operation = operationOf[wanted.call];
  const sent = view.requests.filter((request) => request.operation === operation && request.at >= window.from && request.at <= window.until && (imeis === undefined || imeis.has(request.imei)));
  const headers = Object.entries(wanted.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const);
  const body = Object.entries(wanted.body ?? {});
  const fields = (request: SentRequest): Readonly<Record<string, unknown>> => (typeof request.body === "object" && request.body !== null ? (request.body as Record<string, unknown>) : {});
  const matching = sent.filter((request) => headers.every(([name, value]) => dataMatches(request.headers[name], value)) && body.every(([key, value]) => dataMatches(fields(request)[key], value)));
  const { passed, expected } = countMatches(matching.length, wanted.count ?? { min: 1 });
  const about = [
    ...headers.map(([name, value]) => `${name}: ${describeMatcher(value)}`),
    ...body.map(([key, value]) => `${key} ${describeMatcher(value)}`),
  ].join(", ");
  const who = wanted.device === undefined ? "a phone" : deviceRefName(wanted.device);
  // When nothing matched, the last request of that call shows what was sent instead (its token is redacted).
  const last = sent.at(-1);
  const instead = matching.length === 0 && last !== undefined ? `; ${sent.length} ${wanted.call} request(s), the last with ${Object.entries(last.headers).map(([name, value]) => `${name}: ${value}`).join(", ")}${last.body !== undefined ? ` and body ${JSON.stringify(last.body)}` : ""}` : "";
  const found = matching.length === 0 ? `none${instead}` : `${matching.length}, first at ${iso(matching[0]?.at ?? 0)}`;
  return {
    description: `${who} sends ${expected === "0" ? "no" : expected === "at least 1" ? "a" : expected} ${wanted.call} request${about ? ` (${about})` : ""} ${window.label}`,
    passed,
    expected: `${expected} ${window.label}`,
    found,
  };
}

type DataWanted = NonNullable<EventExpectation["data"]>[string];

/** A literal is compared exactly; a matcher compares numbers (gt/gte/lt/lte) and text (matches, a regex). */
export function dataMatches(found: unknown, wanted: DataWanted): boolean {
  if (typeof wanted !== "object") return found === wanted;
  const number = typeof found === "number" ? found : typeof found === "string" && found.trim() !== "" ? Number(found) : Number.NaN;
  const numeric = [wanted.gt, wanted.gte, wanted.lt, wanted.lte].some((bound) => bound !== undefined);
  if (numeric && Number.isNaN(number)) return false;
  if (wanted.gt !== undefined && !(number > wanted.gt)) return false;
  if (wanted.gte !== undefined && !(number >= wanted.gte)) return false;
  if (wanted.lt !== undefined && !(number < wanted.lt)) return false;
  if (wanted.lte !== undefined && !(number <= wanted.lte)) return false;
  if (wanted.matches !== undefined && !(typeof found === "string" || typeof found === "number" || typeof found === "boolean")) return false;
  if (wanted.matches !== undefined && !new RegExp(wanted.matches).test(String(found))) return false;
  return true;
}

function describeMatcher(wanted: DataWanted): string {
  if (typeof wanted !== "object") return String(wanted);
  const parts = [
    wanted.gt !== undefined && `> ${wanted.gt}`,
    wanted.gte !== undefined && `>= ${wanted.gte}`,
    wanted.lt !== undefined && `< ${wanted.lt}`,
    wanted.lte !== undefined && `<= ${wanted.lte}`,
    wanted.matches !== undefined && `matching /${wanted.matches}/`,
  ];
  return parts.filter(Boolean).join(" and ");
}

function countMatches(actual: number, count: number | { min?: number; max?: number }): { passed: boolean; expected: string } {
  if (typeof count === "number") return { passed: actual === count, expected: String(count) };
  const { min, max } = count;
  const passed = (min === undefined || actual >= min) && (max === undefined || actual <= max);
  if (min !== undefined && max !== undefined) return { passed, expected: min === max ? String(min) : `${min} to ${max}` };
  return { passed, expected: min !== undefined ? `at least ${min}` : `at most ${max}` };
}

/** Everything the owner can read on the screen, for "shows" and "hides". */
export function screenText(screen: LockScreen): string {
  const parts = [screen.title, screen.body, screen.notice, screen.contact?.phone, screen.contact?.email, screen.keypad?.message, screen.keypad?.challenge];
  return parts.filter((part): part is string => typeof part === "string" && part.length > 0).join("\n");
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : value;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}
