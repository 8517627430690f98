import { readFileSync } from "node:fs";
import type { Millis } from "../core/clock.ts";
import { attemptsLeft, defaultAttemptRules } from "../protocol/attempts.ts";
import { DEFAULT_LOCK_MESSAGE } from "../protocol/messages/device.ts";
import type { Contact, LockReason } from "../protocol/values.ts";
import { Deck } from "../copy/deck.ts";
import type { KeypadFacts, KeypadProblem, LenderFacts, ScreenFacts, ScreenKind } from "../copy/facts.ts";
import { copywriter, type Copywriter } from "../copy/format.ts";
import { plainText, screenText, type ScreenText } from "../copy/screen-text.ts";
import { appText } from "../copy/app-text.ts";
import type { DeviceSnapshot, Keypad } from "./snapshot.ts";

export { screenKinds, type ScreenKind } from "../copy/facts.ts";

/**
 * What the phone shows its owner, derived from the agent's snapshot: the screen's facts (copy/facts.ts),
 * the words one copy deck gives them, and the actions still allowed. A locked phone always keeps
 * emergency calls, the payment app and the IMEI.
 */
export const phoneActions = [
  "all_apps",
  "emergency_call",
  "payment_app",
  "show_imei",
  "contact_lender",
  "enter_code",
  "enter_offline_code",
] as const;
export type PhoneAction = (typeof phoneActions)[number];

export interface KeypadView {
  readonly mode: "online" | "offline";
  readonly attemptsLeft: number;
  readonly cooldownUntil?: string;
  readonly message?: string;
  readonly challenge?: string;
}

export interface LockScreen {
  readonly kind: ScreenKind;
  readonly status: DeviceSnapshot["status"];
  readonly lockReason?: LockReason;
  /** The screen in the deck's words, one string each (what the CLI narrates). */
  readonly title: string;
  readonly body: string;
  readonly notice?: string;
  readonly contact?: Contact;
  readonly actions: readonly PhoneAction[];
  readonly keypad?: KeypadView;
  readonly imei: string;
  /** The facts the words were made from: the studio and the gallery word them again in any deck. */
  readonly facts: ScreenFacts;
  /** The words element by element, each with its deck key. */
  readonly text: ScreenText;
  /** The words of the screen's buttons and apps (action.*, dialer.*), in the same deck. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface ScreenOptions {
  /** IANA zone for dates on screen (the scenario's); UTC by default. */
  readonly timeZone?: string;
  /** The deck's words; English by default. */
  readonly copy?: Copywriter;
  /** What the phone was provisioned with about its lender: name, contact, its lock message per locale. */
  readonly lender?: LenderFacts;
}

const LOCKED_ACTIONS: readonly PhoneAction[] = ["emergency_call", "payment_app", "show_imei", "contact_lender"];

let english: Copywriter | undefined;
export function englishCopy(): Copywriter {
  // The shipped source deck, read on first use (not a JSON import: Node 20 warns "Importing JSON modules is an
  // experimental feature" on every `heartlock` command that loads this file).
  if (english === undefined) {
    const source = Deck.parse(JSON.parse(readFileSync(new URL("../copy/en.json", import.meta.url), "utf8")));
    english = copywriter(source, source);
  }
  return english;
}

export function lockScreen(s: DeviceSnapshot, now: Millis, options: ScreenOptions = {}): LockScreen {
  const copy = options.copy ?? englishCopy();
  const { facts, actions, keypad } = screenFacts(s, now, options.lender ?? {});
  const text = screenText(facts, copy, options.timeZone ?? "UTC");
  const keypadMessage = text.keypad?.message?.text;
  return {
    kind: facts.kind,
    status: s.status,
    imei: s.imei,
    ...(facts.lockReason ? { lockReason: facts.lockReason } : {}),
    title: text.title.text,
    body: plainText({ ...text, title: { key: "", text: "" }, notification: undefined, notice: undefined, challenge: undefined }).trim(),
    ...(text.notice || text.notification ? { notice: [text.notification?.body.text, text.notice?.text].filter(Boolean).join(" ") } : {}),
    ...(facts.lender.contact && (facts.kind === "locked" || facts.kind === "reminder") ? { contact: facts.lender.contact } : {}),
    actions,
    ...(keypad ? { keypad: { ...keypad, ...(keypadMessage ? { message: keypadMessage } : {}) } } : {}),
    facts,
    text,
    labels: Object.fromEntries(Object.entries(appText({ facts }, copy, s.imei)).map(([name, line]) => [name, line.text])),
  };
}

interface Derived {
  readonly facts: ScreenFacts;
  readonly actions: readonly PhoneAction[];
  readonly keypad?: Omit<KeypadView, "message">;
}

function screenFacts(s: DeviceSnapshot, now: Millis, profile: LenderFacts): Derived {
  const offlineDeadline = s.offlineWarningShown && s.lastValidAt !== undefined ? { offlineDeadline: s.lastValidAt + s.policy.offlineLockAfter } : {};
  const lender = (contact: Contact | undefined, message?: string): LenderFacts => {
    // The service's default message is the deck's to word (naming the lender); the lender's own message is
    // shown in the screen's locale when the phone was provisioned with it in several.
    const given = profile.lockMessages && Object.values(profile.lockMessages).includes(message ?? "");
    const lockMessages = message === undefined || message === DEFAULT_LOCK_MESSAGE ? undefined : given ? profile.lockMessages : { [profile.locale ?? "en"]: message };
    return {
      ...(profile.name !== undefined ? { name: profile.name } : {}),
      ...(contact ?? profile.contact ? { contact: contact ?? profile.contact } : {}),
      ...(lockMessages ? { lockMessages } : {}),
      ...(profile.locale !== undefined ? { locale: profile.locale } : {}),
    };
  };
  if (s.bootingUntil !== undefined && now < s.bootingUntil) return { facts: { kind: "restarting", lender: lender(undefined) }, actions: [] };
  switch (s.status) {
    case "unenrolled":
      return { facts: { kind: "setup", lender: lender(undefined) }, actions: ["emergency_call", "show_imei"] };
    case "unmanaged":
      return { facts: { kind: "home", managed: false, lender: {} }, actions: ["all_apps"] };
    case "released":
      return { facts: { kind: "released", lender: lender(undefined) }, actions: ["all_apps"] };
    case "active":
      return { facts: { kind: "home", managed: true, lender: lender(undefined), ...offlineDeadline }, actions: ["all_apps"] };
    case "reminding": {
      const r = s.reminder;
      return {
        facts: {
          kind: "reminder",
          lender: lender(r?.contact),
          ...(r?.amountDue?.length ? { amountDue: r.amountDue } : {}),
          ...(r?.lockAt ? { lockAt: Date.parse(r.lockAt) } : {}),
          ...offlineDeadline,
        },
        actions: ["all_apps", "payment_app", "contact_lender"],
      };
    }
    case "locked":
      return lockedFacts(s, now, lender);
  }
}

function lockedFacts(s: DeviceSnapshot, now: Millis, lender: (contact: Contact | undefined, message?: string) => LenderFacts): Derived {
  const lock = s.lock;
  const reason = lock?.reason ?? "overdue";
  const challenge = lock?.challenge;
  // Offline and tamper locks show a challenge and take an offline code; an overdue lock takes support's
  // online code (without a connection, its keypad says so rather than offering a challenge it lacks).
  const offline = challenge !== undefined && challenge !== "";
  const pad = offline ? s.offlineKeypad : s.keypad;
  const cooling = pad.cooldownUntil !== undefined && now < pad.cooldownUntil;
  // Online, the lock service keeps the count and says what is left; offline, the phone counts itself.
  const left = offline || pad.attemptsLeft === undefined ? attemptsLeft(pad.failures, defaultAttemptRules) : pad.attemptsLeft;
  const problem = keypadProblem(pad);
  const keypad: KeypadFacts = {
    mode: offline ? "offline" : "online",
    attemptsLeft: left,
    ...(cooling && pad.cooldownUntil !== undefined ? { cooldownUntil: pad.cooldownUntil } : {}),
    ...(problem && !cooling ? { problem } : {}),
  };
  return {
    facts: {
      kind: "locked",
      lockReason: reason,
      lender: lender(lock?.contact, reason === "overdue" ? lock?.message : undefined),
      ...(reason === "overdue" && lock?.amountDue?.length ? { amountDue: lock.amountDue } : {}),
      ...(reason === "offline" ? { offlinePeriod: s.policy.offlineLockAfter } : {}),
      ...(challenge ? { challenge } : {}),
      keypad,
    },
    actions: [...LOCKED_ACTIONS, offline ? "enter_offline_code" : "enter_code"],
    keypad: {
      mode: keypad.mode,
      attemptsLeft: left,
      ...(keypad.cooldownUntil !== undefined ? { cooldownUntil: new Date(keypad.cooldownUntil).toISOString() } : {}),
      ...(challenge ? { challenge } : {}),
    },
  };
}

function keypadProblem(pad: Keypad): KeypadProblem | undefined {
  switch (pad.last) {
    case "invalid":
    case "expired":
    case "cooldown":
      return pad.last;
    case "unreachable":
      return pad.cause ?? "no_connection";
    default:
      return undefined;
  }
}
