import type { Millis } from "../core/clock.ts";
import type { Standing } from "../protocol/values.ts";
import type { Account, DefaultReport, PaymentRecord } from "./model.ts";
import { addTo, isSettled } from "./money.ts";

/**
 * The lock service's standing rules, as pure functions: account + what happened -> new account + effects.
 * The service performs the effects (journal, clock); nothing here reads time or does I/O.
 *
 *   good --default(no grace)--> default          good --default(grace)--> overdue --grace ends--> default
 *   overdue|default --synced payments cover what is owed--> good
 *   any --complete--> paid_off (final)
 */
export type StandingEffect =
  | { readonly type: "standing_changed"; readonly from: Standing; readonly to: Standing; readonly reason: string }
  | { readonly type: "schedule_grace_end"; readonly at: Millis }
  | { readonly type: "cancel_grace_end"; readonly jobId: number };

export interface StandingResult {
  readonly account: Account;
  readonly effects: readonly StandingEffect[];
}

export function newAccount(lenderId: string, accountId: string): Account {
  return { lenderId, accountId, standing: "good", defaultEpoch: 0, owed: NOTHING_OWED, reports: NO_REPORTS, payments: NO_PAYMENTS };
}

/* A new account's empty records, shared by every account (records are rebuilt by spreading, never edited; frozen
 * so an edit would throw): three empty objects per account were ~170 bytes of each idle phone in a fleet. */
const NOTHING_OWED: Account["owed"] = Object.freeze({});
const NO_REPORTS: Account["reports"] = Object.freeze({});
const NO_PAYMENTS: Account["payments"] = Object.freeze({});

export function reportDefault(account: Account, report: DefaultReport, graceMs: Millis | undefined): StandingResult {
  const owed = addTo(account.owed, report.currency, report.minor);
  const base: Account = {
    ...account,
    owed,
    defaultEpoch: account.defaultEpoch + 1,
    reports: { ...account.reports, [report.reportId]: report },
  };
  if (account.standing === "paid_off") return { account, effects: [] };
  if (account.standing === "default") return { account: base, effects: [] };
  // Credit from earlier synced payments can already cover the new amount: nothing to enforce.
  if (isSettled(owed)) return { account: base, effects: [] };
  if (graceMs === undefined || graceMs <= 0) {
    return becomes(base, "default", report.reportedAt, "default reported", account.graceJobId);
  }
  // With a grace period the account is overdue; a second report can only bring the lock closer.
  const lockAt = Math.min(account.standing === "overdue" && account.lockAt !== undefined ? account.lockAt : Infinity, report.lockAt);
  const effects: StandingEffect[] = [];
  if (account.standing === "good") effects.push({ type: "standing_changed", from: "good", to: "overdue", reason: "default reported with a grace period" });
  if (lockAt !== account.lockAt) {
    if (account.graceJobId !== undefined) effects.push({ type: "cancel_grace_end", jobId: account.graceJobId });
    effects.push({ type: "schedule_grace_end", at: lockAt });
  }
  return { account: { ...base, standing: "overdue", lockAt }, effects };
}

/** The grace-end job fired. Stale jobs (the account was settled or is already in default) change nothing. */
export function graceEnded(account: Account, now: Millis): StandingResult {
  if (account.standing !== "overdue" || account.lockAt === undefined || now < account.lockAt) return { account, effects: [] };
  return becomes({ ...account, graceJobId: undefined }, "default", account.lockAt, "grace period ended");
}

/** A payment reached the lock service through the sync. */
export function paymentSynced(account: Account, payment: PaymentRecord, now: Millis): StandingResult {
  const synced: PaymentRecord = { ...payment, sync: { status: "synced", expectedBy: payment.sync.expectedBy, syncedAt: now } };
  const next: Account = {
    ...account,
    owed: addTo(account.owed, payment.currency, -payment.minor),
    payments: { ...account.payments, [payment.paymentId]: synced },
  };
  if ((next.standing === "overdue" || next.standing === "default") && isSettled(next.owed)) {
    return becomes(next, "good", undefined, "payment synced", account.graceJobId);
  }
  return { account: next, effects: [] };
}

export function completeLoan(account: Account): StandingResult {
  if (account.standing === "paid_off") return { account, effects: [] };
  return becomes(account, "paid_off", undefined, "loan paid off", account.graceJobId);
}

function becomes(account: Account, to: Standing, lockAt: Millis | undefined, reason: string, cancelJob?: number): StandingResult {
  const effects: StandingEffect[] = [];
  if (cancelJob !== undefined) effects.push({ type: "cancel_grace_end", jobId: cancelJob });
  if (account.standing !== to) effects.push({ type: "standing_changed", from: account.standing, to, reason });
  return { account: { ...account, standing: to, lockAt, graceJobId: cancelJob !== undefined ? undefined : account.graceJobId }, effects };
}

/**
 * What the lender's own books say is still owed: the lock service's view minus payments recorded at the
 * lender that have not synced yet. Support may issue an unlock code only when this is settled
 * ("I paid but it is still locked"), never while the lender still shows the account overdue.
 */
export function lenderSettled(account: Account): boolean {
  let books = account.owed;
  for (const payment of Object.values(account.payments)) {
    if (payment.sync.status !== "synced") books = addTo(books, payment.currency, -payment.minor);
  }
  return isSettled(books) || account.standing === "paid_off";
}
