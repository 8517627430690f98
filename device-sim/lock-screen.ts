import { TZDate } from "@date-fns/tz";
import { format as formatDate } from "date-fns";
import { DAY, HOUR, type Millis } from "../core/clock.ts";
import { attemptsLeft, defaultAttemptRules } from "../protocol/attempts.ts";
import type { Contact, LockReason, Money } from "../protocol/values.ts";
import { copyEn, fill, type Copy } from "./copy-en.ts";
import type { AgentStatus, DeviceSnapshot } from "./snapshot.ts";

/**
 * What the phone shows its owner, derived from the agent's snapshot: a title, a body, a notice, and the
 * actions still allowed. A locked phone always keeps emergency calls, the payment app and the IMEI.
 */
export const screenKinds = ["setup", "restarting", "home", "reminder", "locked", "released"] as const;
export type ScreenKind = (typeof screenKinds)[number];

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
  readonly status: AgentStatus;
  readonly lockReason?: LockReason;
  readonly title: string;
  readonly body: string;
  readonly notice?: string;
  readonly contact?: Contact;
  readonly actions: readonly PhoneAction[];
  readonly keypad?: KeypadView;
  readonly imei: string;
}

export interface ScreenOptions {
  /** IANA zone for dates on screen (the scenario's); UTC by default. */
  readonly timeZone?: string;
  readonly locale?: string;
  readonly copy?: Copy;
}

const LOCKED_ACTIONS: readonly PhoneAction[] = ["emergency_call", "payment_app", "show_imei", "contact_lender"];

export function lockScreen(s: DeviceSnapshot, now: Millis, options: ScreenOptions = {}): LockScreen {
  const copy = options.copy ?? copyEn;
  const format = formatters(options);
  const base = { status: s.status, imei: s.imei };

  if (s.bootingUntil !== undefined && now < s.bootingUntil) {
    return { ...base, kind: "restarting", title: copy.restartingTitle, body: copy.restartingBody, actions: [] };
  }
  switch (s.status) {
    case "unenrolled":
      return { ...base, kind: "setup", title: copy.setupTitle, body: copy.setupBody, actions: ["emergency_call", "show_imei"] };
    case "unmanaged":
      return { ...base, kind: "home", title: copy.homeTitle, body: copy.unmanagedBody, actions: ["all_apps"] };
    case "released":
      return { ...base, kind: "released", title: copy.releasedTitle, body: copy.releasedBody, actions: ["all_apps"] };
    case "active":
      return { ...base, kind: "home", title: copy.homeTitle, body: copy.homeBody, actions: ["all_apps"], ...offlineNotice(s, copy, format) };
    case "reminding": {
      const amount = s.reminder?.amountDue?.length ? fill(copy.reminderAmount, { amount: format.money(s.reminder.amountDue) }) : "";
      const deadline = s.reminder?.lockAt ? fill(copy.reminderDeadline, { date: format.date(Date.parse(s.reminder.lockAt)) }) : "";
      const offline = offlineNotice(s, copy, format).notice;
      return {
        ...base,
        kind: "reminder",
        title: copy.reminderTitle,
        body: copy.homeBody,
        notice: [fill(copy.reminderBody, { amount, deadline }), offline].filter(Boolean).join(" "),
        contact: s.reminder?.contact,
        actions: ["all_apps", "payment_app", "contact_lender"],
      };
    }
    case "locked":
      return lockedScreen(s, now, copy, format);
  }
}

function lockedScreen(s: DeviceSnapshot, now: Millis, copy: Copy, format: Formatters): LockScreen {
  const lock = s.lock;
  const reason = lock?.reason ?? "overdue";
  const challenge = lock?.challenge;
  let body: string;
  if (reason === "overdue") {
    const lines = [lock?.message ?? copy.lockedOverdueDefault];
    if (lock?.amountDue?.length) lines.push(fill(copy.amountDue, { amount: format.money(lock.amountDue) }));
    if (lock?.contact) lines.push(fill(copy.contactLine, { contact: format.contact(lock.contact) }));
    lines.push(copy.stillWorks, copy.afterPayment);
    body = lines.join(" ");
  } else {
    const template = reason === "offline" ? copy.lockedOfflineBody : copy.lockedTamperBody;
    const lines = [fill(template, { period: period(s.policy.offlineLockAfter, copy), challenge: challenge ?? "" })];
    if (lock?.contact) lines.push(fill(copy.contactLine, { contact: format.contact(lock.contact) }));
    lines.push(copy.stillWorks);
    body = lines.join(" ");
  }
  // Offline and tamper locks show a challenge and take an offline code; an overdue lock takes support's
  // online code (without a connection, its keypad says so rather than offering a challenge it lacks).
  const offline = challenge !== undefined && challenge !== "";
  const pad = offline ? s.offlineKeypad : s.keypad;
  const cooling = pad.cooldownUntil !== undefined && now < pad.cooldownUntil;
  const message = cooling
    ? fill(copy.keypadCooldown, { time: format.time(pad.cooldownUntil ?? now) })
    : pad.detail ?? (offline && challenge ? fill(copy.keypadOffline, { challenge }) : undefined);
  return {
    kind: "locked",
    status: s.status,
    imei: s.imei,
    lockReason: reason,
    title: copy.lockedTitle,
    body,
    contact: lock?.contact,
    actions: [...LOCKED_ACTIONS, offline ? "enter_offline_code" : "enter_code"],
    keypad: {
      mode: offline ? "offline" : "online",
      // Online, the lock service keeps the count and says what is left; offline, the phone counts itself.
      attemptsLeft: offline || pad.attemptsLeft === undefined ? attemptsLeft(pad.failures, defaultAttemptRules) : pad.attemptsLeft,
      ...(cooling && pad.cooldownUntil !== undefined ? { cooldownUntil: new Date(pad.cooldownUntil).toISOString() } : {}),
      ...(message ? { message } : {}),
      ...(challenge ? { challenge } : {}),
    },
  };
}

/** "30 days", "1 day", "12 hours": how long the phone went without contact, in words. */
function period(ms: Millis, copy: Copy): string {
  if (ms >= DAY && ms % DAY === 0) return ms === DAY ? copy.periodDay : fill(copy.periodDays, { count: ms / DAY });
  return fill(copy.periodHours, { count: Math.max(1, Math.round(ms / HOUR)) });
}

function offlineNotice(s: DeviceSnapshot, copy: Copy, format: Formatters): { notice?: string } {
  if (!s.offlineWarningShown || s.lastValidAt === undefined) return {};
  return { notice: fill(copy.offlineWarning, { date: format.date(s.lastValidAt + s.policy.offlineLockAfter) }) };
}

interface Formatters {
  money(amounts: readonly Money[]): string;
  date(at: Millis): string;
  time(at: Millis): string;
  contact(contact: Contact): string;
}

function formatters(options: ScreenOptions): Formatters {
  const locale = options.locale ?? "en-GB";
  const timeZone = options.timeZone ?? "UTC";
  // Dates go through date-fns, not Intl.DateTimeFormat: each Node release ships another ICU, which words
  // dates differently ("Thu, 5 Mar" on Node 20.18, "Thu 5 Mar" on 20.20), and a screen must read the same
  // on every runtime.
  return {
    money: (amounts) => amounts.map((m) => currencyFormat(locale, m.currency).format(m.value)).join(" + "),
    date: (at) => formatDate(new TZDate(at, timeZone), "EEE d MMM, HH:mm"),
    time: (at) => formatDate(new TZDate(at, timeZone), "HH:mm"),
    contact: (contact) => [contact.phone, contact.email].filter(Boolean).join(" or "),
  };
}

/** Building an Intl.NumberFormat costs far more than using one, and a scenario renders screens often. */
const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string | undefined, currency: string): Intl.NumberFormat {
  const key = `${locale ?? ""}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    currencyFormats.set(key, format);
  }
  return format;
}
