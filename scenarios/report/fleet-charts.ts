import type { JournalEvent } from "../../core/journal.ts";
import type { ScenarioResult } from "../run/result.ts";

/**
 * What a fleet run looks like in numbers, for charts: phones by state over time, locks and unlocks per day,
 * how long syncs took, and how long a paying owner waited for the phone to unlock. Pure: read from the run's
 * journal, using only events the fleet journal keeps in full (state changes, payments, syncs), so a fleet-mode
 * run draws the same charts as a full one.
 */
export interface FleetCharts {
  readonly phones: number;
  /** Sample times (Unix seconds, what uPlot's time axis takes) and phones in each state at that time. */
  readonly states: { readonly times: readonly number[]; readonly series: Readonly<Record<string, readonly number[]>> };
  /** UTC days (Unix seconds at 00:00) with the phones that locked and unlocked that day. */
  readonly perDay: { readonly days: readonly number[]; readonly locks: readonly number[]; readonly unlocks: readonly number[] };
  /** Hours from a payment being recorded to its sync landing, one entry per completed sync. */
  readonly syncHours: readonly number[];
  /** Hours from a payment to the paying account's phone unlocking, with p50/p90/max. */
  readonly paymentToUnlock: { readonly hours: readonly number[]; readonly p50?: number; readonly p90?: number; readonly max?: number };
}

export const STATES = ["unenrolled", "active", "reminding", "locked", "released", "unmanaged"] as const;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export function fleetCharts(result: ScenarioResult, options: { readonly samples?: number } = {}): FleetCharts {
  const start = Date.parse(result.startedAt);
  const end = Math.max(start + HOUR, Date.parse(result.endedAt));
  const phones = Object.keys(result.devices).length;
  return {
    phones,
    states: statesOverTime(result.journal, phones, start, end, options.samples ?? 240),
    perDay: locksPerDay(result.journal, start, end),
    syncHours: syncDelays(result.journal),
    paymentToUnlock: paymentToUnlock(result),
  };
}

function deviceKey(event: JournalEvent): string {
  const id = event.data["imei"] ?? event.data["deviceId"];
  return typeof id === "string" ? id : "";
}

function statesOverTime(journal: readonly JournalEvent[], phones: number, start: number, end: number, samples: number): FleetCharts["states"] {
  const changes = journal.filter((event) => event.type === "device.state_changed");
  const current = new Map<string, string>();
  const tally = new Map<string, number>(STATES.map((state) => [state, 0]));
  tally.set("unenrolled", phones);
  const series: Record<string, number[]> = Object.fromEntries(STATES.map((state) => [state, []]));
  const times: number[] = [];
  const step = Math.max(HOUR, Math.ceil((end - start) / samples / HOUR) * HOUR);
  let next = 0;
  for (let t = start; t <= end + step - 1; t += step) {
    const at = Math.min(t, end);
    while (next < changes.length && Date.parse((changes[next] as JournalEvent).at) <= at) {
      const change = changes[next] as JournalEvent;
      const key = deviceKey(change);
      const from = current.get(key) ?? String(change.data["from"] ?? "unenrolled");
      const to = String(change.data["to"]);
      tally.set(from, (tally.get(from) ?? 0) - 1);
      tally.set(to, (tally.get(to) ?? 0) + 1);
      current.set(key, to);
      next += 1;
    }
    times.push(Math.round(at / 1000));
    for (const state of STATES) (series[state] as number[]).push(tally.get(state) ?? 0);
    if (at === end) break;
  }
  // A state no phone was ever in is left out of the chart.
  for (const state of STATES) if ((series[state] as number[]).every((n) => n === 0)) delete series[state];
  return { times, series };
}

function locksPerDay(journal: readonly JournalEvent[], start: number, end: number): FleetCharts["perDay"] {
  const first = Math.floor(start / DAY) * DAY;
  const count = Math.floor((end - first) / DAY) + 1;
  const locks = new Array<number>(count).fill(0);
  const unlocks = new Array<number>(count).fill(0);
  for (const event of journal) {
    if (event.type !== "device.state_changed") continue;
    const day = Math.floor((Date.parse(event.at) - first) / DAY);
    if (day < 0 || day >= count) continue;
    if (event.data["to"] === "locked") locks[day] = (locks[day] ?? 0) + 1;
    else if (event.data["from"] === "locked") unlocks[day] = (unlocks[day] ?? 0) + 1;
  }
  return { days: locks.map((_, i) => (first + i * DAY) / 1000), locks, unlocks };
}

function syncDelays(journal: readonly JournalEvent[]): number[] {
  const recorded = new Map<string, number>();
  const hours: number[] = [];
  for (const event of journal) {
    const paymentId = event.data["paymentId"];
    if (typeof paymentId !== "string") continue;
    if (event.type === "payment.recorded") recorded.set(paymentId, Date.parse(event.at));
    if (event.type === "sync.completed") {
      const at = recorded.get(paymentId);
      if (at !== undefined) hours.push(round((Date.parse(event.at) - at) / HOUR));
    }
  }
  return hours;
}

function paymentToUnlock(result: ScenarioResult): FleetCharts["paymentToUnlock"] {
  const accountOf = new Map<string, string>();
  for (const device of Object.values(result.devices)) {
    if (device.account === undefined) continue;
    accountOf.set(device.imei, device.account);
    if (device.deviceId !== undefined) accountOf.set(device.deviceId, device.account);
  }
  // The first unpaid-for payment of an account waits for the account's next unlock.
  const waiting = new Map<string, number>();
  const hours: number[] = [];
  for (const event of result.journal) {
    const account = event.data["accountId"];
    if (event.type === "payment.recorded" && typeof account === "string" && !waiting.has(account)) waiting.set(account, Date.parse(event.at));
    if (event.type === "device.state_changed" && event.data["from"] === "locked" && event.data["to"] !== "locked") {
      const owner = accountOf.get(deviceKey(event));
      const paidAt = owner === undefined ? undefined : waiting.get(owner);
      if (owner !== undefined && paidAt !== undefined) {
        hours.push(round((Date.parse(event.at) - paidAt) / HOUR));
        waiting.delete(owner);
      }
    }
  }
  const sorted = [...hours].sort((a, b) => a - b);
  if (sorted.length === 0) return { hours };
  return { hours, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), max: sorted[sorted.length - 1] as number };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

function round(hours: number): number {
  return Math.round(hours * 100) / 100;
}
