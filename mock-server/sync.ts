import { iso, type Millis } from "../core/clock.ts";
import { afterApplied, findFault, type ActiveFault } from "./faults.ts";
import { ownEntry, type Account, type PaymentRecord } from "./model.ts";
import { paymentSynced } from "./standing.ts";
import type { ServiceState } from "./state.ts";

/**
 * The slow pipe that carries a payment from the lender to the lock service. Each payment gets its own
 * sync, due after a seeded delay in business time; the `sync_failure` fault makes it fail with
 * "token update failed", and a failed sync stays failed until support's manual refresh runs it again.
 */
export const SYNC_ERROR = "token update failed";

export function drawSyncDelay(state: ServiceState): Millis {
  const { min, max } = state.syncDelay;
  // Whole minutes keep expectedBy readable on slides; the bounds themselves are honoured exactly.
  const minutes = state.random.int(Math.ceil(min / 60_000), Math.floor(max / 60_000));
  return Math.min(max, Math.max(min, minutes * 60_000));
}

export function scheduleSync(state: ServiceState, account: Account, paymentId: string, expectedBy: Millis): number {
  const { lenderId, accountId } = account;
  return state.schedule(expectedBy, `sync ${accountId} ${paymentId}`, () => runSync(state, lenderId, accountId, paymentId));
}

/** Runs one payment's sync now: from its job, or from a manual refresh. */
export function runSync(state: ServiceState, lenderId: string, accountId: string, paymentId: string): void {
  const account = state.store.getAccount(lenderId, accountId);
  const payment = account && ownEntry(account.payments, paymentId);
  if (!account || !payment || payment.sync.status === "synced") return;

  const fault = syncFailureOf(state, account);
  if (fault) {
    // A counted fault ("the next sync fails") is spent by this attempt, however late it ran.
    state.faults = afterApplied(state.faults, fault);
    const failed: PaymentRecord = { ...payment, sync: { status: "failed", expectedBy: payment.sync.expectedBy, error: SYNC_ERROR } };
    state.store.putAccount({ ...account, payments: { ...account.payments, [paymentId]: failed } });
    state.log("sync", "sync.failed", { lenderId, accountId, paymentId, error: SYNC_ERROR, ...(fault.times !== undefined ? { faultId: fault.id, faultTimesLeft: fault.times - 1 } : {}) });
    return;
  }
  state.log("sync", "sync.completed", { lenderId, accountId, paymentId, expectedBy: iso(payment.sync.expectedBy) });
  state.commit(paymentSynced(account, payment, state.now()));
}

/** Re-runs every pending or failed sync of the account now (support's manual refresh). */
export function refreshSyncs(state: ServiceState, account: Account): void {
  for (const payment of Object.values(account.payments)) {
    if (payment.sync.status === "pending") state.cancel(payment.sync.jobId);
    if (payment.sync.status !== "synced") runSync(state, account.lenderId, account.accountId, payment.paymentId);
  }
}

function syncFailureOf(state: ServiceState, account: Account): ActiveFault | undefined {
  const now = state.now();
  const own = findFault(state.faults, "sync_failure", { accountId: account.accountId }, now);
  if (own) return own;
  // A fault aimed at one of the account's devices breaks that account's sync too.
  for (const device of state.store.devicesOfAccount(account.lenderId, account.accountId)) {
    const fault = findFault(state.faults, "sync_failure", { deviceId: device.deviceId, imei: device.imei }, now);
    if (fault) return fault;
  }
  return undefined;
}
