import type { Money } from "../protocol/values.ts";
import type { ScreenFacts } from "./facts.ts";

/**
 * Every screen state the phone has, filled with stress values: the longest lender name the scenario format
 * allows, a 350-character lock message, large amounts in several currencies, a 20-character phone and a
 * 60-character email. The gallery, `heartlock copy lint` and the review sheet all show these.
 */
export const STRESS = {
  lender: "Cooperativa de Crédito Solidário dos Trabalhadores Rurais do Vale do Jequitinhonha".slice(0, 80),
  phone: "+55 (33) 3521-400001".slice(0, 20),
  email: "atendimento.ao.cliente.financiamento@cooperativa-exemplo.com".slice(0, 60),
  amounts: [
    { value: 1234567.89, currency: "EUR" },
    { value: 98765432.1, currency: "INR" },
  ] as readonly Money[],
  challenge: "4821-7730",
  imei: "490154203237518",
};

export const STATE_NOW = Date.parse("2026-03-05T11:19:00.000Z");
export const STATE_TIME_ZONE = "Europe/Berlin";

/** A 350-character lender message (the protocol's limit), in each language the lender wrote it in. */
export const LONG_MESSAGES: Readonly<Record<string, string>> = {
  en: fit(
    "Your installment is overdue and this phone has been locked until the payment reaches us. You can still make emergency calls and open the payment app. If you cannot pay the full amount this month, call our team: we can agree new dates, spread the amount over the coming months, or pause the plan while you are ill or out of work. We will not share your case.",
  ),
  de: fit(
    "Ihre Ratenzahlung ist überfällig, deshalb wurde dieses Telefon bis zum Zahlungseingang gesperrt. Notrufe und die Zahlungs-App funktionieren weiterhin. Wenn Sie den Gesamtbetrag in diesem Monat nicht zahlen können, rufen Sie unser Kundenbetreuungsteam an: Wir vereinbaren Ratenzahlungsaufschübe, Stundungsvereinbarungen oder Zahlungsplanänderungen mit Ihnen.",
  ),
};

function fit(text: string): string {
  return text.length >= 350 ? text.slice(0, 350) : text.padEnd(350, " ·");
}

const lender = { name: STRESS.lender, contact: { phone: STRESS.phone, email: STRESS.email } };
const MINUTE = 60_000;

export interface GalleryState {
  readonly id: string;
  readonly name: string;
  readonly facts: ScreenFacts;
  /** The app open on top of the screen, if any. */
  readonly app?: "keypad" | "emergency" | "imei";
}

export const galleryStates: readonly GalleryState[] = [
  { id: "setup", name: "Setup", facts: { kind: "setup", lender } },
  { id: "restarting", name: "Restarting", facts: { kind: "restarting", lender } },
  { id: "home", name: "Home, offline warning", facts: { kind: "home", managed: true, lender, offlineDeadline: STATE_NOW + 3 * 24 * 60 * MINUTE } },
  { id: "reminder", name: "Reminder", facts: { kind: "reminder", lender, amountDue: STRESS.amounts, lockAt: STATE_NOW + 2 * 24 * 60 * MINUTE } },
  {
    id: "locked-overdue",
    name: "Locked: overdue, lender's 350-character message",
    facts: { kind: "locked", lockReason: "overdue", lender: { ...lender, lockMessages: LONG_MESSAGES, locale: "en" }, amountDue: STRESS.amounts, keypad: { mode: "online", attemptsLeft: 5 } },
  },
  {
    id: "locked-overdue-default",
    name: "Locked: overdue, default message",
    facts: { kind: "locked", lockReason: "overdue", lender, amountDue: STRESS.amounts, keypad: { mode: "online", attemptsLeft: 5 } },
  },
  {
    id: "locked-offline",
    name: "Locked: offline",
    facts: { kind: "locked", lockReason: "offline", lender, offlinePeriod: 30 * 24 * 60 * MINUTE, challenge: STRESS.challenge, keypad: { mode: "offline", attemptsLeft: 5 } },
  },
  {
    id: "locked-tamper",
    name: "Locked: tamper",
    facts: { kind: "locked", lockReason: "tamper", lender, challenge: STRESS.challenge, keypad: { mode: "offline", attemptsLeft: 5 } },
  },
  {
    id: "keypad-attempts",
    name: "Keypad: wrong code, attempts left",
    app: "keypad",
    facts: { kind: "locked", lockReason: "overdue", lender, keypad: { mode: "online", attemptsLeft: 2, problem: "invalid" } },
  },
  {
    id: "keypad-cooldown",
    name: "Keypad: cooldown",
    app: "keypad",
    facts: { kind: "locked", lockReason: "overdue", lender, keypad: { mode: "online", attemptsLeft: 0, cooldownUntil: STATE_NOW + 5 * MINUTE } },
  },
  {
    id: "keypad-offline",
    name: "Keypad: offline code",
    app: "keypad",
    facts: { kind: "locked", lockReason: "offline", lender, offlinePeriod: 30 * 24 * 60 * MINUTE, challenge: STRESS.challenge, keypad: { mode: "offline", attemptsLeft: 1, problem: "invalid" } },
  },
  { id: "released", name: "Released", facts: { kind: "released", lender } },
  { id: "emergency", name: "Emergency dialer", app: "emergency", facts: { kind: "locked", lockReason: "overdue", lender, keypad: { mode: "online", attemptsLeft: 5 } } },
  { id: "imei", name: "IMEI", app: "imei", facts: { kind: "locked", lockReason: "overdue", lender, keypad: { mode: "online", attemptsLeft: 5 } } },
];
