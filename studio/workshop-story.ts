import type { StudioState } from "./contract.ts";
import { studioState } from "./snapshot.ts";
import type { Stage } from "./stage.ts";

/**
 * The README's ten-minute workshop, steps 1–8, played against a stage through the same actions the page's
 * controls send: what the API-level test runs on every seed and start hour, and what the browser test
 * clicks. Each step returns what the room should see, so a test can hold the README's sentences to it.
 */
export interface WorkshopCheckpoint {
  readonly step: string;
  readonly state: StudioState;
}

const PHONE = "amara-phone";
const ACCOUNT = "amara";
/** Step presses a facilitator is willing to make before calling a step broken. */
const PATIENCE = 12;

export async function playWorkshop(stage: Stage): Promise<WorkshopCheckpoint[]> {
  const seen: WorkshopCheckpoint[] = [];
  const look = (step: string) => {
    const state = studioState(stage.current, 0);
    seen.push({ step, state });
    return state;
  };
  const phone = (state: StudioState) => state.devices.find((device) => device.name === PHONE);
  const account = (state: StudioState) => state.accounts.find((each) => each.id === ACCOUNT);
  const stepUntil = async (what: string, done: (state: StudioState) => boolean) => {
    for (let press = 0; press < PATIENCE; press++) {
      if (done(studioState(stage.current, 0))) return;
      await stage.clock({ op: "step" });
    }
    if (!done(studioState(stage.current, 0))) throw new Error(`${PATIENCE} presses of Step did not reach ${what}`);
  };

  // 1. The cast: step until the phone shows its home screen.
  await stepUntil("the home screen", (s) => phone(s)?.screen.kind === "home");
  look("1 home");
  // 2. Nothing is pushed: the default is reported, the phone still works.
  await stage.act({ do: "lender.default", account: ACCOUNT, amount: account(look("2 before"))?.installment ?? "49.99 EUR" });
  look("2 default");
  // 3. The heartbeat: step until the lock screen.
  await stepUntil("the lock screen", (s) => phone(s)?.screen.kind === "locked");
  look("3 locked");
  // 5. Paying is not unlocking.
  await stage.act({ do: "owner.pay", device: PHONE, amount: phone(look("5 before"))?.amountDue ?? "49.99 EUR" });
  look("5 paid");
  // 6. When the sync breaks: reset, default, lock, "the next sync fails", pay, step until it failed.
  await stage.reset();
  await stepUntil("the home screen again", (s) => phone(s)?.screen.kind === "home");
  await stage.act({ do: "lender.default", account: ACCOUNT, amount: account(look("6 reset"))?.installment ?? "49.99 EUR" });
  await stepUntil("the lock screen again", (s) => phone(s)?.screen.kind === "locked");
  await stage.act({ do: "sync.fail", account: ACCOUNT, times: 1 });
  await stage.act({ do: "owner.pay", device: PHONE, amount: phone(look("6 locked"))?.amountDue ?? "49.99 EUR" });
  await stepUntil("the failed sync", (s) => account(s)?.sync.status === "failed");
  look("6 sync failed");
  // 7. Support: refresh (the failure was for that one sync), then a code.
  await stage.act({ do: "support.refresh", device: PHONE });
  look("7 refreshed");
  const issued = await stage.act({ do: "support.issue_code", device: PHONE });
  look("7 code");
  const code = /unlock code (\d{8})/.exec(issued.outcome ?? "")?.[1];
  // 8. The keypad: the code, the restart, home again.
  await stage.act({ do: "owner.enter_code", device: PHONE, ...(code !== undefined ? { code } : {}) });
  look("8 accepted");
  await stepUntil("the phone back to normal", (s) => phone(s)?.screen.kind === "home");
  look("8 home");
  return seen;
}
