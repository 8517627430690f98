import { iso } from "../../core/clock.ts";
import { parseDuration } from "../../core/duration.ts";
import type { DeviceAgent } from "../../device-sim/agent.ts";
import type { Money } from "../../protocol/values.ts";
import type { ScenarioPlan, PlannedDevice } from "../format/plan.ts";
import type { ActionName, ActionStep, Amount } from "../format/schema.ts";
import type { World } from "../world.ts";
import { deviceRefName } from "../format/selection.ts";

/**
 * What each scenario action does to the world, through the same public API a client would use: lenders,
 * support and the facilitator call the lock service through the world's transport; owners act on their
 * phones. Each returns a one-line account of what happened, for the reports.
 */
export interface Stage {
  readonly world: World;
  readonly plan: ScenarioPlan;
  /** Phones by device name. */
  readonly phones: ReadonlyMap<string, DeviceAgent>;
  /** The last unlock and offline code support gave for each phone, for owner.enter_code without a code. */
  readonly codes: Map<string, string>;
  readonly offlineCodes: Map<string, string>;
  /** Generated reportId / paymentId counters, so the same scenario makes the same ids. */
  readonly counters: Map<string, number>;
}

type Perform<Name extends ActionName> = (stage: Stage, step: Extract<ActionStep, { do: Name }>) => Promise<string[]>;
type Performers = { readonly [Name in ActionName]: Perform<Name> };

/** Runs one action on every phone it names (a fleet's name stands for all its phones). */
export async function perform(stage: Stage, step: ActionStep): Promise<string> {
  const run = performers[step.do] as Perform<ActionName>;
  const lines = await run(stage, step);
  return lines.length > 3 ? `${lines.slice(0, 2).join("; ")}; … (${lines.length} in all)` : lines.join("; ");
}

const performers: Performers = {
  "lender.register": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device) => {
      await stage.world.registerDevice(deviceSpec(stage, device));
      return `the lender registered ${device.name} (IMEI ${device.imei}) on account ${device.account}`;
    }),
  "lender.default": async (stage, step) => {
    const account = accountOf(stage, step.account);
    const reportId = step.reportId ?? nextId(stage, "report");
    const answer = await stage.world.lender(account.lender).call("reportDefault", {
      params: { accountId: account.id },
      body: {
        reportId,
        amountDue: money(step.amount),
        dueDate: step.dueDate ?? stage.plan.calendar.localDate(stage.world.now()),
        ...(step.grace !== undefined ? { gracePeriod: step.grace } : {}),
      },
    });
    // Nothing is pushed: phones learn the new standing at their next heartbeat (after lockAt, with grace).
    const when = answer.standing === "overdue" && answer.lockAt ? `; phones are reminded, and lock at their first heartbeat after ${local(stage, Date.parse(answer.lockAt))}` : answer.standing === "default" ? "; phones lock at their next heartbeat" : "";
    return [`account ${account.id} is now ${answer.standing}${when}`];
  },
  "lender.payment": async (stage, step) => [await recordPayment(stage, step.account, step.amount, step.paymentId)],
  "lender.complete": async (stage, step) => {
    const account = accountOf(stage, step.account);
    await stage.world.lender(account.lender).call("completeLoan", { params: { accountId: account.id } });
    return [`the loan on account ${account.id} is paid off`];
  },
  "owner.pay": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      stage.world.journal.append("owner", "owner.paid", { ...idsOf(device, phone), amount: money(step.amount) });
      return `${device.name}'s owner paid: ${await recordPayment(stage, requireAccount(device), step.amount, step.paymentId)}`;
    }),
  "owner.enter_code": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      const code = step.code ?? stage.codes.get(device.name);
      if (code === undefined) throw new Error(`support has not issued a code for ${device.name} yet; add support.issue_code first or give code:`);
      const before = stage.world.journal.lastSeq;
      await phone.enterCode(code);
      const answer = stage.world.journal.after(before).find((event) => event.type === "unlock_attempt.answered");
      return `${device.name}: code ${code} ${answer ? `→ ${String(answer.data.result)}` : `not sent (${phone.snapshot.keypad.last ?? "no answer"})`}`;
    }),
  "owner.enter_offline_code": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      const code = step.code ?? stage.offlineCodes.get(device.name);
      if (code === undefined) throw new Error(`support has not given an offline code for ${device.name} yet; add support.offline_code first or give code:`);
      await phone.enterOfflineCode(code);
      return `${device.name}: offline code ${code} → ${phone.snapshot.offlineKeypad.last ?? "no answer"}`;
    }),
  "owner.power_on": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.powerOn(), "switched on"),
  "owner.power_off": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.powerOff(), "switched off"),
  "owner.tamper": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.detectTamper(), "detected tampering"),
  "owner.reboot": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.reboot(), "restarting"),
  "owner.factory_reset": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.factoryReset(), "erased; it will check in again by IMEI"),
  "owner.go_offline": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.setOnline(false), "offline"),
  "owner.go_online": (stage, step) => ownerAction(stage, deviceRefName(step.device), (phone) => phone.setOnline(true), "back online"),
  "owner.sell": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      stage.world.journal.append("owner", "owner.sold", { ...idsOf(device, phone), to: step.to });
      if (step.factoryReset !== false) await phone.factoryReset();
      return `${device.name} now belongs to ${step.to}${step.factoryReset !== false ? " (wiped before the sale)" : ""}`;
    }),
  "sync.delay": async (stage, step) => {
    const min = parseDuration(step.min);
    const max = step.max === undefined ? min : parseDuration(step.max);
    stage.world.service.state.syncDelay = { min, max };
    stage.world.journal.append("sync", "sync.delay_changed", { min: step.min, max: step.max ?? step.min });
    return [`payments now sync after ${step.min}${step.max && step.max !== step.min ? ` to ${step.max}` : ""} of business time`];
  },
  "sync.fail": async (stage, step) => {
    const until = untilAfter(stage, step.for);
    await stage.world.facilitator.call("addFault", {
      body: { kind: "sync_failure", ...(step.account !== undefined ? { target: step.account } : {}), ...(until ? { until } : {}), ...(step.times !== undefined ? { times: step.times } : {}) },
    });
    const which = step.times === undefined ? "syncs" : step.times === 1 ? "the next sync" : `the next ${step.times} syncs`;
    return [`${which}${step.account ? ` for account ${step.account}` : ""} fail${step.times === 1 ? "s" : ""} with "token update failed"${until ? ` until ${local(stage, Date.parse(until))}` : ""}`];
  },
  "support.lookup": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device) => {
      const view = await stage.world.support.call("supportLookup", { query: { imei: device.imei } });
      return `${device.name}: ${view.state}, account ${view.accountId} ${view.standing}, sync ${view.sync.status}`;
    }),
  "support.refresh": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      const answer = await stage.world.support.call("refresh", { params: { deviceId: enrolled(device, phone) } });
      return `${device.name}: refreshed; standing ${answer.standing}, sync ${answer.sync.status}`;
    }),
  "support.issue_code": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      const answer = await stage.world.support.call("issueUnlockCode", { params: { deviceId: enrolled(device, phone) } });
      stage.codes.set(device.name, answer.code);
      return `${device.name}: unlock code ${answer.code}, valid until ${local(stage, Date.parse(answer.expiresAt))}`;
    }),
  "support.offline_code": (stage, step) =>
    eachPhone(stage, deviceRefName(step.device), async (device, phone) => {
      const challenge = phone.snapshot.lock?.challenge;
      if (challenge === undefined) throw new Error(`${device.name} shows no offline challenge (it is not locked offline)`);
      const answer = await stage.world.support.call("issueOfflineCode", { params: { deviceId: enrolled(device, phone) }, body: { challenge } });
      stage.offlineCodes.set(device.name, answer.code);
      return `${device.name}: challenge ${challenge} → offline code ${answer.code}`;
    }),
  "facilitator.advance": async (stage, step) => {
    // Against a target the local clock leads (the target follows it before each call), so it is the one moved.
    if (stage.world.remote) {
      await stage.world.runFor(step.by);
      return [`the clock moved on ${step.by}, to ${local(stage, stage.world.now())}`];
    }
    const answer = await stage.world.facilitator.call("patchClock", { body: { advanceBy: step.by } });
    return [`the clock moved on ${step.by}, to ${local(stage, Date.parse(answer.now))}`];
  },
  "facilitator.fault": async (stage, step) => {
    const until = untilAfter(stage, step.for);
    const targets = step.device !== undefined ? devicesNamed(stage, step.device).map((device) => stage.phones.get(device.name)?.deviceId ?? device.imei) : step.account !== undefined ? [step.account] : [undefined];
    for (const target of targets) {
      await stage.world.facilitator.call("addFault", { body: { kind: step.kind, ...(target ? { target } : {}), ...(until ? { until } : {}) } });
    }
    return [`fault ${step.kind} on ${step.device ?? (step.account ? `account ${step.account}` : "every call")}${until ? ` until ${local(stage, Date.parse(until))}` : ""}`];
  },
  "facilitator.clear_faults": async (stage) => {
    const answer = await stage.world.facilitator.call("clearFaults");
    return [`cleared ${answer.cleared} fault${answer.cleared === 1 ? "" : "s"}`];
  },
};

async function recordPayment(stage: Stage, accountId: string, amount: Amount, paymentId: string | undefined): Promise<string> {
  const account = accountOf(stage, accountId);
  const answer = await stage.world.lender(account.lender).call("recordPayment", {
    params: { accountId: account.id },
    body: { paymentId: paymentId ?? nextId(stage, "payment"), amount: money(amount) },
  });
  return `payment ${answer.paymentId} recorded on account ${account.id}; sync expected by ${local(stage, Date.parse(answer.sync.expectedBy ?? iso(stage.world.now())))}`;
}

/** When a fault that lasts `duration` from now ends (ISO), or undefined for one that lasts until cleared. */
function untilAfter(stage: Stage, duration: string | undefined): string | undefined {
  return duration === undefined ? undefined : iso(stage.world.now() + parseDuration(duration));
}

function ownerAction(stage: Stage, name: string, act: (phone: DeviceAgent) => Promise<void>, what: string): Promise<string[]> {
  return eachPhone(stage, name, async (device, phone) => {
    await act(phone);
    return `${device.name} ${what}`;
  });
}

async function eachPhone(stage: Stage, name: string, act: (device: PlannedDevice, phone: DeviceAgent) => Promise<string>): Promise<string[]> {
  const lines: string[] = [];
  for (const device of devicesNamed(stage, name)) {
    const phone = stage.phones.get(device.name);
    if (!phone) throw new Error(`no phone named ${device.name}`);
    lines.push(await act(device, phone));
  }
  return lines;
}

function devicesNamed(stage: Stage, name: string): PlannedDevice[] {
  const names = stage.plan.groups.get(name) ?? [];
  return stage.plan.devices.filter((device) => names.includes(device.name));
}

export function deviceSpec(stage: Stage, device: PlannedDevice) {
  const lender = stage.plan.lenders.find((candidate) => candidate.id === device.lender);
  const lockMessage = device.lockMessage ?? lender?.lockMessage;
  return {
    imei: device.imei,
    ...(device.locale !== undefined ? { locale: device.locale } : {}),
    ...(lender?.name !== undefined ? { lenderName: lender.name } : {}),
    ...(lender?.locale !== undefined ? { lenderLocale: lender.locale } : {}),
    accountId: requireAccount(device),
    ...(device.lender !== undefined ? { lenderId: device.lender } : {}),
    ...(device.model !== undefined ? { model: device.model } : {}),
    ...(lockMessage !== undefined ? { lockMessage } : {}),
    ...(lender?.contact !== undefined ? { contact: lender.contact } : {}),
  };
}

function requireAccount(device: PlannedDevice): string {
  if (device.account === undefined) throw new Error(`${device.name} belongs to no account`);
  return device.account;
}

function accountOf(stage: Stage, id: string) {
  const account = stage.plan.accounts.get(id);
  if (!account) throw new Error(`no account named ${id}`);
  return account;
}

function enrolled(device: PlannedDevice, phone: DeviceAgent): string {
  if (phone.deviceId === undefined) throw new Error(`${device.name} has not checked in yet, so support cannot find its deviceId`);
  return phone.deviceId;
}

function idsOf(device: PlannedDevice, phone: DeviceAgent): { imei: string; deviceId?: string } {
  return phone.deviceId === undefined ? { imei: device.imei } : { deviceId: phone.deviceId, imei: device.imei };
}

function nextId(stage: Stage, kind: string): string {
  const n = (stage.counters.get(kind) ?? 0) + 1;
  stage.counters.set(kind, n);
  return `${kind}-${n}`;
}

function money(amount: Amount): Money {
  if (typeof amount !== "string") return { value: Number(amount.value), currency: amount.currency };
  const [value = "0", currency = "EUR"] = amount.split(" ");
  return { value: Number(value), currency };
}

function local(stage: Stage, at: number): string {
  return stage.plan.calendar.localDateTime(at).replace("T", " ");
}
