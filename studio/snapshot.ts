import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import { HOUR, MINUTE, DAY, type Millis } from "../core/clock.ts";
import type { Account, UnlockCode } from "../mock-server/model.ts";
import { owedAmounts } from "../mock-server/money.ts";
import { attemptsLeft } from "../protocol/attempts.ts";
import type { Money } from "../protocol/values.ts";
import { describeAction } from "../scenarios/report/action.ts";
import type { AccountView, CodeView, DeviceView, StepView, StudioState } from "./contract.ts";
import type { Show } from "./stage.ts";
import { lockScreen } from "../device-sim/lock-screen.ts";
import { initialSnapshot } from "../device-sim/machine.ts";

/** Jobs the pending panel lists: enough to see what comes next without a wall of heartbeats. */
const PENDING_SHOWN = 12;

/** What the page shows, read off the show on stage. Pure: it changes nothing and reads no real time. */
export function studioState(show: Show, rev: number): StudioState {
  const { run, director } = show;
  const { plan, world, stage } = run;
  const now = director.now();
  const zone = plan.calendar.timeZone;
  // Formatted once per minute shown: a thousand phones' heartbeats fall on a few hundred minutes.
  const local = perMinute((at) => format(new TZDate(at, zone), "EEE d MMM yyyy, HH:mm"));
  const short = perMinute((at) => format(new TZDate(at, zone), "EEE d MMM, HH:mm"));
  const store = world.service.state.store;
  const names = deviceNames(show);
  const pending = world.clock.pending();
  const nextJob = firstByLabel(pending);
  const switchedOn = new Set(run.steps.flatMap((step) => (step.action?.do === "owner.power_on" && step.error === undefined ? [step.action.params["device"]] : [])));

  const devices = plan.devices.map((device): DeviceView => {
    const phone = stage.phones.get(device.name);
    const snapshot = phone?.snapshot;
    const record = phone?.deviceId !== undefined ? store.getDevice(phone.deviceId) : store.findDeviceByImei(device.imei);
    const next = phone ? nextJob.get(`heartbeat ${phone.deviceId ?? phone.imei}`) : undefined;
    const owed = snapshot?.lock?.amountDue ?? snapshot?.reminder?.amountDue;
    const account = device.account !== undefined ? plan.accounts.get(device.account) : undefined;
    const cooling = record?.attempts.cooldownUntil !== undefined && record.attempts.cooldownUntil > now ? record.attempts.cooldownUntil : undefined;
    return {
      name: device.name,
      imei: device.imei,
      ...(phone?.deviceId !== undefined ? { deviceId: phone.deviceId } : {}),
      ...(device.model !== undefined ? { model: device.model } : {}),
      ...(device.account !== undefined ? { account: device.account } : {}),
      ...(device.lender !== undefined ? { lender: device.lender } : {}),
      ...(account?.owner !== undefined ? { owner: account.owner } : {}),
      online: snapshot?.online ?? false,
      poweredOn: snapshot?.poweredOff ? false : device.poweredOn || switchedOn.has(device.name),
      screen: phone ? world.screen(phone) : emptyScreen(device.imei),
      ...(record
        ? {
            server: {
              ...(record.lastHeartbeatAt !== undefined ? { lastHeartbeat: new Date(record.lastHeartbeatAt).toISOString(), lastHeartbeatLocal: local(record.lastHeartbeatAt) } : {}),
              ...(next ? { nextHeartbeatLocal: local(next.at) } : {}),
              ...(record.reportedState !== undefined ? { state: record.reportedState } : {}),
              attemptsLeft: attemptsLeft(record.attempts.failures, world.service.state.config.attempts),
              ...(cooling !== undefined ? { cooldownUntilLocal: local(cooling) } : {}),
            },
          }
        : {}),
      ...(next ? { nextHeartbeatLocal: local(next.at) } : {}),
      ...(owed && owed.length > 0 ? { amountDue: amountText(owed[0]) } : {}),
    };
  });

  const byAccount = devicesByAccount(plan.devices);
  const accounts = [...plan.accounts.values()].flatMap((planned): AccountView[] => {
    const account = store.getAccount(planned.lender, planned.id);
    if (!account) return [];
    const sync = world.service.state.syncView(account);
    const expectedBy = sync.status === "idle" || sync.expectedBy === undefined ? undefined : Date.parse(sync.expectedBy);
    return [
      {
        id: planned.id,
        lender: planned.lender,
        ...(planned.owner !== undefined ? { owner: planned.owner } : {}),
        standing: account.standing,
        ...(account.lockAt !== undefined ? { lockAtLocal: local(account.lockAt) } : {}),
        ...(() => {
          const at = account.lockAt !== undefined && account.standing !== "good" && account.standing !== "paid_off" ? phoneLocksAt(show, byAccount.get(planned.id) ?? [], account.lockAt, nextJob) : undefined;
          return at !== undefined ? { phoneLocksAtLocal: local(at) } : {};
        })(),
        owed: owedAmounts(account.owed).map(amountText).join(" + ") || "nothing",
        sync: {
          status: sync.status,
          ...(expectedBy !== undefined ? { expectedBy: new Date(expectedBy).toISOString(), expectedByLocal: local(expectedBy), expectedIn: until(expectedBy - now) } : {}),
          ...(sync.status === "failed" ? { error: sync.error } : {}),
        },
        payments: Object.values(account.payments).map((payment) => ({
          paymentId: payment.paymentId,
          amount: minorText(payment.minor, payment.currency),
          status: payment.sync.status,
          expectedByLocal: local(payment.sync.expectedBy),
        })),
        devices: (byAccount.get(planned.id) ?? []).map((device) => device.name),
        installment: installmentOf(account, show, planned.id),
      },
    ];
  });

  const codes = plan.devices
    .flatMap((device) => {
      const phone = stage.phones.get(device.name);
      const record = phone?.deviceId !== undefined ? store.getDevice(phone.deviceId) : undefined;
      return (record?.codes ?? []).map((code) => ({ device: device.name, code }));
    })
    .sort((a, b) => b.code.issuedAt - a.code.issuedAt)
    .map(({ device, code }): CodeView => ({ device, code: code.code, issuedLocal: short(code.issuedAt), expiresLocal: short(code.expiresAt), state: codeState(code, now) }));

  const steps = stepViews(show, short);
  const lastSaid = [...run.steps].reverse().find((step) => step.say !== undefined)?.say;
  return {
    rev,
    stageId: show.id,
    clock: { now: new Date(now).toISOString(), local: local(now), timeZone: zone, speed: director.speed, playing: director.playing },
    stage: {
      kind: show.kind,
      name: plan.name,
      title: plan.scenario.title,
      summary: plan.scenario.summary,
      objectives: plan.scenario.objectives,
      steps,
      ...(lastSaid !== undefined ? { caption: lastSaid } : {}),
      finished: show.kind === "scenario" && run.done,
      verdicts: run.expectations.map((verdict) => ({ step: verdict.step, description: verdict.description, passed: verdict.passed, found: verdict.found })),
      busy: director.holding,
      ...(show.rewoundTo !== undefined ? { rewoundTo: show.rewoundTo } : {}),
      lastSeq: world.journal.lastSeq,
      lenders: plan.lenders.map((lender) => ({ id: lender.id, name: lender.name ?? lender.id })),
      ...(show.error !== undefined ? { error: show.error } : {}),
    },
    devices,
    accounts,
    codes,
    pending: pending.slice(0, PENDING_SHOWN).map((job) => ({ local: short(job.at), in: until(job.at - now), label: names(job.label) })),
    faults: world.service.state.faults.filter((fault) => fault.until === undefined || fault.until > now).map((fault) => ({ kind: fault.kind, ...(fault.target !== undefined ? { target: names(fault.target) } : {}), ...(fault.until !== undefined ? { untilLocal: short(fault.until) } : {}), ...(fault.times !== undefined ? { times: fault.times } : {}) })),
  };
}

/** The script's steps (done, next, waiting) and the controls' actions, in the order they happened. */
function stepViews(show: Show, short: (at: Millis) => string): StepView[] {
  const { run } = show;
  const scripted = new Set<number>();
  const views: StepView[] = run.steps.map((step) => {
    // The controls' actions are numbered after the script's steps (ScenarioRun.act).
    const source = step.index < run.plan.steps.length ? "script" : "studio";
    if (source === "script") scripted.add(step.index);
    return {
      index: step.index,
      local: short(Date.parse(step.at)),
      ...(step.say !== undefined ? { say: step.say } : {}),
      ...(step.action ? { action: describeAction(step.action) } : {}),
      source,
      state: step.error === undefined ? "done" : "failed",
      ...(step.outcome !== undefined ? { outcome: step.outcome } : {}),
      ...(step.error !== undefined ? { error: step.error } : {}),
    };
  });
  // The free stage's single opening line is scenery, not a script worth listing as waiting.
  if (show.kind === "free") return views;
  let next = true;
  for (const planned of run.plan.steps) {
    if (scripted.has(planned.index)) continue;
    views.push({
      index: planned.index,
      local: short(planned.at),
      ...(planned.step.say !== undefined ? { say: planned.step.say } : {}),
      ...(planned.step.do !== undefined ? { action: planned.step.do } : {}),
      source: "script",
      state: next ? "next" : "waiting",
    });
    next = false;
  }
  return views;
}

/** A job label ("heartbeat dev-7Hk2", "sync amara payment-1") with phones by their names. */
function deviceNames(show: Show): (label: string) => string {
  const byId = new Map<string, string>();
  for (const [name, phone] of show.run.stage.phones) {
    byId.set(phone.imei, name);
    if (phone.deviceId !== undefined) byId.set(phone.deviceId, name);
  }
  return (label) => label.replace(/\S+/g, (word) => byId.get(word) ?? word);
}

/** What the lender's forms offer by default: the last reported installment, else one from the script, else 50 EUR. */
function installmentOf(account: Account, show: Show, accountId: string): string {
  const reports = Object.values(account.reports).sort((a, b) => a.reportedAt - b.reportedAt);
  const last = reports[reports.length - 1];
  if (last) return minorText(last.minor, last.currency);
  for (const { step } of show.run.plan.steps) {
    if ((step.do === "lender.default" || step.do === "lender.payment") && step.account === accountId) {
      return typeof step.amount === "string" ? step.amount : `${Number(step.amount.value).toFixed(2)} ${step.amount.currency}`;
    }
  }
  return "50.00 EUR";
}

function codeState(code: UnlockCode, now: Millis): CodeView["state"] {
  if (code.usedAt !== undefined) return "used";
  if (code.supersededAt !== undefined) return "superseded";
  return code.expiresAt <= now ? "expired" : "live";
}

/** "49.99 EUR": the form scenario files and the lender's controls take, so it can be sent back as it is. */
function amountText(money: Money | undefined): string {
  return money ? minorText(Math.round(money.value * 100), money.currency) : "";
}

function minorText(minor: number, currency: string): string {
  return `${(minor / 100).toFixed(2)} ${currency}`;
}

/** "in 3 h 20 min", "in 2 days 4 h", "now", "overdue by 5 min". */
export function until(ms: Millis): string {
  if (Math.abs(ms) < MINUTE) return "now";
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const parts = days > 0 ? [`${days} ${days === 1 ? "day" : "days"}`, hours > 0 ? `${hours} h` : ""] : [hours > 0 ? `${hours} h` : "", minutes > 0 ? `${minutes} min` : ""];
  const text = parts.filter(Boolean).join(" ");
  return ms > 0 ? `in ${text}` : `${text} ago`;
}

function emptyScreen(imei: string): DeviceView["screen"] {
  return { ...lockScreen(initialSnapshot(imei), 0), title: "Switched off", body: "This phone is switched off.", actions: [] };
}

/**
 * When the account's first phone hears of the default: its next heartbeat at or after `lockAt`, counted on from
 * the heartbeat waiting on the clock at the phone's interval. Phones already locked, offline or off are left out.
 */
function phoneLocksAt(show: Show, devices: readonly { readonly name: string }[], lockAt: Millis, nextJob: ReadonlyMap<string, { readonly at: Millis }>): Millis | undefined {
  const { stage } = show.run;
  const times = devices
    .flatMap((device) => {
      const phone = stage.phones.get(device.name);
      if (!phone || !phone.snapshot.online || phone.snapshot.status === "locked") return [];
      const next = nextJob.get(`heartbeat ${phone.deviceId ?? phone.imei}`);
      if (!next) return [];
      const interval = Math.max(MINUTE, phone.snapshot.policy.heartbeatInterval);
      let at = next.at;
      if (at < lockAt) at += Math.ceil((lockAt - at) / interval) * interval;
      return [at];
    });
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The first pending job of each label (the clock lists them soonest first): one pass, not one search per phone. */
function firstByLabel<Job extends { readonly label: string }>(pending: readonly Job[]): Map<string, Job> {
  const first = new Map<string, Job>();
  for (const job of pending) if (!first.has(job.label)) first.set(job.label, job);
  return first;
}

/** A formatter of minute precision, remembering each minute it wrote. */
function perMinute(write: (at: Millis) => string): (at: Millis) => string {
  const written = new Map<number, string>();
  return (at) => {
    const minute = Math.floor(at / MINUTE);
    let text = written.get(minute);
    if (text === undefined) {
      text = write(minute * MINUTE);
      written.set(minute, text);
    }
    return text;
  };
}

/** The plan's devices by account, in plan order. */
function devicesByAccount<Device extends { readonly account?: string }>(devices: readonly Device[]): Map<string, Device[]> {
  const by = new Map<string, Device[]>();
  for (const device of devices) {
    if (device.account === undefined) continue;
    const list = by.get(device.account);
    if (list) list.push(device);
    else by.set(device.account, [device]);
  }
  return by;
}
