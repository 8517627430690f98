import type { Account } from "./model.ts";
import type { ServiceState } from "./state.ts";
import { scheduleSync } from "./sync.ts";

/**
 * After a restart from saved records (`serve --data`), re-arms what lived only on the clock: each pending
 * payment's sync at its `expectedBy` and each overdue account's grace end at its `lockAt` (jobs already due run
 * at the clock's next move), and gives every enrolled device its token back. Pure: the records say it all.
 */
export function resumeFromRecords(state: ServiceState, accounts: Iterable<Account>, devices: Iterable<{ readonly deviceId: string; readonly enrolment?: { readonly token: string } }>): void {
  for (const device of devices) if (device.enrolment) state.auth.grantDevice(device.enrolment.token, device.deviceId);
  for (const saved of accounts) {
    let account: Account = saved;
    const payments = { ...account.payments };
    for (const payment of Object.values(account.payments)) {
      if (payment.sync.status !== "pending") continue;
      const jobId = scheduleSync(state, account, payment.paymentId, payment.sync.expectedBy);
      payments[payment.paymentId] = { ...payment, sync: { ...payment.sync, jobId } };
    }
    account = { ...account, payments };
    if (account.graceJobId !== undefined && account.lockAt !== undefined) account = { ...account, graceJobId: state.scheduleGraceEnd(account, account.lockAt) };
    state.store.putAccount(account);
  }
}
