import type { Contact, LockReason, Money } from "../protocol/values.ts";

/**
 * What a phone's screen has to say, as facts rather than sentences: which screen, the lender, amounts,
 * times (epoch milliseconds on the simulated clock), codes and counts. The copy deck turns them into words
 * (copy/screen-text.ts), on the server for the CLI and in the browser for the studio and the gallery.
 */
export const screenKinds = ["setup", "restarting", "home", "reminder", "locked", "released"] as const;
export type ScreenKind = (typeof screenKinds)[number];

export type KeypadProblem = "invalid" | "expired" | "cooldown" | "no_connection" | "reconnecting" | "service_error";

export interface KeypadFacts {
  readonly mode: "online" | "offline";
  readonly attemptsLeft: number;
  /** Set while codes are refused; the keypad names the time, nothing else. */
  readonly cooldownUntil?: number;
  /** What the last try came to, when it did not unlock. */
  readonly problem?: KeypadProblem;
}

export interface LenderFacts {
  /** The lender's name as its customers know it; absent, the deck's "your lender". */
  readonly name?: string;
  readonly contact?: Contact;
  /** The lender's own lock message, per locale ("en", "de", …): lenders write it, not the deck. */
  readonly lockMessages?: Readonly<Record<string, string>>;
  /** The lender's default locale: the phone's, unless the device or account names another. */
  readonly locale?: string;
}

export interface ScreenFacts {
  readonly kind: ScreenKind;
  readonly managed?: boolean;
  readonly lockReason?: LockReason;
  readonly lender: LenderFacts;
  readonly amountDue?: readonly Money[];
  /** Reminder: when the phone locks unless paid. */
  readonly lockAt?: number;
  /** Home or reminder: connect before this time or the phone locks itself. */
  readonly offlineDeadline?: number;
  /** Offline lock: how long the phone went without contact. */
  readonly offlinePeriod?: number;
  readonly challenge?: string;
  readonly keypad?: KeypadFacts;
}
