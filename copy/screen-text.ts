import type { Contact } from "../protocol/values.ts";
import type { ScreenFacts } from "./facts.ts";
import type { Copywriter, Line } from "./format.ts";

/**
 * A screen's facts in one deck's words. Each thing is said once per screen: the title is not repeated in
 * the body, the cooldown is named by its end time alone, the reminder's heading appears once. Every line
 * carries its deck key, so lint and the gallery can say which message overflowed.
 */
export interface LenderMessageText {
  readonly label: Line;
  readonly text: string;
  /** The BCP 47 tag the lender wrote it in, when it is not the screen's. */
  readonly lang?: string;
  /** Shown when the lender gave no message in this locale. */
  readonly marker?: Line;
}

export interface KeypadText {
  readonly title: Line;
  readonly codeLabel: Line;
  readonly submit: Line;
  /** One line at most: the cooldown's end, the last try's problem, or the offline hint. */
  readonly message?: Line;
  readonly attempts?: Line;
}

export interface ScreenText {
  readonly locale: string;
  readonly dir: "ltr" | "rtl";
  readonly title: Line;
  /** A notification card above the screen (the reminder). */
  readonly notification?: { readonly app: Line; readonly body: Line };
  readonly lenderMessage?: LenderMessageText;
  readonly body: readonly Line[];
  readonly notice?: Line;
  readonly challenge?: { readonly label: Line; readonly code: string };
  readonly keypad?: KeypadText;
}

export function screenText(facts: ScreenFacts, copy: Copywriter, timeZone: string): ScreenText {
  const lender = facts.lender.name ?? copy.text("lender.unnamed");
  const base = { locale: copy.locale, dir: copy.dir };
  const offlineNotice = facts.offlineDeadline !== undefined ? { notice: copy.line("home.offlineWarning", { deadline: copy.dateTime(facts.offlineDeadline, timeZone) }) } : {};
  switch (facts.kind) {
    case "setup":
      return { ...base, title: copy.line("setup.title"), body: [copy.line("setup.body")] };
    case "restarting":
      return { ...base, title: copy.line("restarting.title"), body: [copy.line("restarting.body")] };
    case "released":
      return { ...base, title: copy.line("released.title"), body: [copy.line("released.body", { lender })] };
    case "home":
      return { ...base, title: copy.line("home.title"), body: [copy.line(facts.managed === false ? "home.unmanaged" : "home.body")], ...offlineNotice };
    case "reminder": {
      const amount = facts.amountDue?.length ? copy.money(facts.amountDue) : undefined;
      const body =
        amount !== undefined && facts.lockAt !== undefined
          ? copy.line("reminder.body", { lender, amount, deadline: copy.dateTime(facts.lockAt, timeZone) })
          : copy.line("reminder.bodyShort", { lender });
      const contact = contactLine(facts.lender.contact, lender, copy);
      return { ...base, title: copy.line("home.title"), notification: { app: copy.line("reminder.app"), body }, body: [copy.line("home.body"), ...(contact ? [contact] : [])], ...offlineNotice };
    }
    case "locked":
      return lockedText(facts, copy, lender, timeZone);
  }
}

function lockedText(facts: ScreenFacts, copy: Copywriter, lender: string, timeZone: string): ScreenText {
  const reason = facts.lockReason ?? "overdue";
  const body: Line[] = [];
  let lenderMessage: LenderMessageText | undefined;
  if (reason === "overdue") {
    lenderMessage = ownMessage(facts, copy, lender);
    if (!lenderMessage) body.push(copy.line("locked.overdue.default", { lender }));
    if (facts.amountDue?.length) body.push(copy.line("locked.amountDue", { amount: copy.money(facts.amountDue) }));
    const contact = contactLine(facts.lender.contact, lender, copy);
    if (contact) body.push(contact);
    body.push(copy.line("locked.stillWorks"), copy.line("locked.afterPayment", { lender }));
  } else {
    if (reason === "offline") body.push(copy.line("locked.offline.body", { lender, period: period(facts.offlinePeriod ?? 0, copy) }));
    else body.push(copy.line("locked.tamper.body"));
    const phone = facts.lender.contact?.phone;
    const email = facts.lender.contact?.email;
    if (phone) body.push(copy.line("locked.challenge.call", { lender, phone }));
    else if (email) body.push(copy.line("locked.challenge.write", { lender, email }));
    body.push(copy.line("locked.stillWorks"));
  }
  const pad = facts.keypad;
  const challenge = facts.challenge ? { challenge: { label: copy.line("locked.challenge.label"), code: facts.challenge } } : {};
  return {
    locale: copy.locale,
    dir: copy.dir,
    title: copy.line("locked.title"),
    ...(lenderMessage ? { lenderMessage } : {}),
    body,
    ...challenge,
    ...(pad ? { keypad: keypadText(pad, facts, copy, lender, timeZone) } : {}),
  };
}

function keypadText(pad: NonNullable<ScreenFacts["keypad"]>, facts: ScreenFacts, copy: Copywriter, lender: string, timeZone: string): KeypadText {
  const offline = pad.mode === "offline";
  let message: Line | undefined;
  let attempts: Line | undefined;
  if (pad.cooldownUntil !== undefined) {
    // In a cooldown the time is the one thing to say: not "0 attempts left", not seconds to wait.
    message = copy.line("keypad.cooldown", { time: copy.time(pad.cooldownUntil, timeZone) });
  } else {
    if (pad.problem === "invalid") message = copy.line(offline ? "keypad.mismatch" : "keypad.wrong");
    else if (pad.problem === "expired") message = copy.line("keypad.expired", { lender });
    else if (pad.problem === "reconnecting") message = copy.line("keypad.reconnecting", { lender });
    else if (pad.problem === "no_connection" || pad.problem === "service_error") message = copy.line("keypad.noConnection");
    else if (offline && facts.challenge) message = copy.line("keypad.offlineHint", { lender });
    if (pad.problem === "invalid") attempts = copy.line("keypad.attemptsLeft", { count: pad.attemptsLeft });
  }
  return {
    title: copy.line(offline ? "action.enterOfflineCode" : "action.enterCode"),
    codeLabel: copy.line("keypad.codeLabel"),
    submit: copy.line("keypad.submit"),
    ...(message ? { message } : {}),
    ...(attempts ? { attempts } : {}),
  };
}

/** The lender's message in the screen's locale, its language, or the first it gave (marked). */
function ownMessage(facts: ScreenFacts, copy: Copywriter, lender: string): LenderMessageText | undefined {
  const messages = facts.lender.lockMessages;
  if (!messages || Object.keys(messages).length === 0) return undefined;
  const label = copy.line("locked.overdue.lenderSays", { lender });
  const wanted = [copy.deck.locale, copy.locale, copy.deck.locale.split("-")[0] ?? ""];
  for (const tag of wanted) {
    const text = messages[tag];
    if (text !== undefined) return { label, text };
  }
  const language = copy.deck.locale.split("-")[0];
  const near = Object.keys(messages).find((tag) => tag.split("-")[0] === language);
  if (near !== undefined) return { label, text: messages[near] ?? "" };
  const [tag, text] = Object.entries(messages)[0] ?? ["", ""];
  return { label, text, lang: tag, marker: copy.line("locked.overdue.untranslated", { lender }) };
}

function contactLine(contact: Contact | undefined, lender: string, copy: Copywriter): Line | undefined {
  if (contact?.phone && contact.email) return copy.line("contact.both", { lender, phone: contact.phone, email: contact.email });
  if (contact?.phone) return copy.line("contact.phone", { lender, phone: contact.phone });
  if (contact?.email) return copy.line("contact.email", { lender, email: contact.email });
  return undefined;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "30 days", "12 hours": whole days when it is whole days, else hours, in the deck's plural forms. */
function period(ms: number, copy: Copywriter): string {
  if (ms >= DAY && ms % DAY === 0) return copy.text("period.days", { count: ms / DAY });
  return copy.text("period.hours", { count: Math.max(1, Math.round(ms / HOUR)) });
}

/** The screen's words in reading order, as one string (for the CLI's narration and tests). */
export function plainText(text: ScreenText): string {
  const parts = [
    text.notification?.app.text,
    text.notification?.body.text,
    text.title.text,
    text.lenderMessage && `${text.lenderMessage.label.text} ${text.lenderMessage.text}${text.lenderMessage.marker ? ` (${text.lenderMessage.marker.text})` : ""}`,
    ...text.body.map((line) => line.text),
    text.notice?.text,
    text.challenge && `${text.challenge.label.text} ${text.challenge.code}`,
  ];
  return parts.filter((part): part is string => Boolean(part)).join(" ");
}
