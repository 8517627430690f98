import type { AccountView, DeviceView, StudioState } from "./contract.ts";

/**
 * One line under the caption saying what will happen next and what to press, read off the state: the
 * facilitator never has to guess why nothing moved. Pure, so a unit test holds every sentence to a state.
 */
export function guidance(state: StudioState, deviceName?: string): string {
  const { stage } = state;
  if (stage.error !== undefined) return "The script stopped with an error: press Reset stage to start again.";
  if (stage.finished) {
    const passed = stage.verdicts.filter((verdict) => verdict.passed).length;
    return `Scenario finished (${passed} of ${stage.verdicts.length} checks passed), the clock paused. Rewind to any event to ask the room what happens next, or save the run.`;
  }
  const phone = state.devices.find((device) => device.name === deviceName) ?? state.devices[0];
  const account = state.accounts.find((each) => each.id === phone?.account);
  const rewound = stage.rewoundTo !== undefined ? `Rewound to event ${stage.rewoundTo}: anything you do now starts a new branch. ` : "";
  return rewound + next(phone, account, stage.kind === "scenario" && !state.clock.playing);
}

function next(phone: DeviceView | undefined, account: AccountView | undefined, scenarioPaused: boolean): string {
  const play = scenarioPaused ? " Press Play to let the scenario tell it, or Step to next event." : "";
  if (!phone) return "Choose a phone on stage.";
  const screen = phone.screen.kind;
  if (screen === "restarting") return `${phone.name} is restarting: Step to next event shows it back.${play}`;
  if (screen === "setup") return `${phone.name} is setting up and will check in: Step to next event.${play}`;
  if (!phone.online) {
    return screen === "locked"
      ? `${phone.name} locked itself offline: support answers its challenge with an offline code (Support: answer the offline challenge).`
      : `${phone.name} is offline: it warns before it locks itself. Step to next event to see the warning and the lock.`;
  }
  if (!account) return `Use the controls, or Step to next event.${play}`;
  const sync = account.sync;
  if (sync.status === "failed") return `The sync failed ("${sync.error ?? "token update failed"}"): the payment has not reached the lock service. Support: Refresh the sync now.`;
  if (sync.status === "pending") {
    return `The payment reaches the lock service when its sync runs (expected by ${sync.expectedByLocal ?? "?"}): Step to next event, or Support: Refresh the sync now.`;
  }
  if (screen === "locked") {
    if (account.standing === "good") return "The account is good again: the phone unlocks at its next heartbeat (Step to next event), or Support: Issue an unlock code.";
    return "Locked. The owner can pay in the payment app; support can give a code once the lender has recorded the payment (before the sync reaches the phone).";
  }
  if (account.standing === "default" || account.standing === "overdue") {
    const when = account.phoneLocksAtLocal !== undefined ? ` (${account.phoneLocksAtLocal})` : "";
    const grace = account.standing === "overdue" ? "The grace period runs: reminders first. " : "";
    return `${grace}Nothing is pushed: the phone learns of it at its next heartbeat${when}. Step to next event.`;
  }
  return `Use the controls (Lender: Report missed installment), or Step to next event.${play}`;
}
