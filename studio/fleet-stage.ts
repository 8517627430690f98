import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";
import { FLEET_DIR } from "../scenarios/fleets.ts";
import { planFromFile, resolveScenarioFile } from "../scenarios/library.ts";
import type { JournalEvent } from "../core/journal.ts";
import type { DeviceAgent } from "../device-sim/agent.ts";
import type { JournalMode, ScenarioRun } from "../scenarios/run/runner.ts";

/**
 * The fleet-sized scenarios the studio can put on stage beside the library (scenarios/fleets/), and the journal
 * a stage keeps: from FLEET_PHONES phones up, routine heartbeats are folded (see core/fleet-journal.ts), so a
 * thousand phones for a month fit in the page's welcome and the server's memory.
 */
export const FLEET_PHONES = 200;

export function fleetNames(): string[] {
  if (!existsSync(FLEET_DIR)) return [];
  return readdirSync(FLEET_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => file.replace(/\.ya?ml$/, ""));
}

/** The file of a library scenario (or any scenario file), or of a fleet scenario. */
export function stageFile(name: string): string {
  return fleetNames().includes(name) ? join(FLEET_DIR, `${name}.yaml`) : resolveScenarioFile(name);
}

/** A library scenario's plan, or a fleet scenario's. */
export function stagePlan(name: string): ScenarioPlan {
  return planFromFile(stageFile(name));
}

export function journalFor(plan: ScenarioPlan): JournalMode {
  return plan.devices.length >= FLEET_PHONES ? "fleet" : "full";
}

/**
 * The phones a key moment's handout page shows: every phone on a small stage; on a fleet stage only those the
 * event is about (its device, IMEI or account). A thousand screens per moment made the 30-day jump spend half
 * its time drawing screens nobody prints, and kept a million of them in memory.
 */
export function momentPhones(run: ScenarioRun, event: JournalEvent): [string, DeviceAgent][] {
  if (journalFor(run.plan) !== "fleet") return [...run.stage.phones];
  let index = indexes.get(run);
  if (!index) {
    index = { byImei: new Map(), byAccount: new Map(), byDeviceId: new Map() };
    for (const device of run.plan.devices) {
      const phone = run.stage.phones.get(device.name);
      if (!phone) continue;
      index.byImei.set(phone.imei, [device.name, phone]);
      if (device.account !== undefined) index.byAccount.set(device.account, [...(index.byAccount.get(device.account) ?? []), [device.name, phone]]);
    }
    indexes.set(run, index);
  }
  const { deviceId, imei, accountId } = event.data;
  const found = new Map<string, DeviceAgent>();
  if (typeof imei === "string") for (const [name, phone] of [index.byImei.get(imei)].filter((hit) => hit !== undefined)) found.set(name, phone);
  if (typeof accountId === "string") for (const [name, phone] of index.byAccount.get(accountId) ?? []) found.set(name, phone);
  if (typeof deviceId === "string") {
    // A deviceId is new when a phone enrols (again). The phone the event's IMEI or account names usually has it;
    // only when none does are all the phones looked over (1,000 of them for each enrolment, before).
    let hit = index.byDeviceId.get(deviceId);
    if (hit?.[1].deviceId !== deviceId) {
      hit = [...found].find(([, phone]) => phone.deviceId === deviceId);
      if (hit) index.byDeviceId.set(deviceId, hit);
      else {
        for (const [name, phone] of run.stage.phones) if (phone.deviceId !== undefined) index.byDeviceId.set(phone.deviceId, [name, phone]);
        hit = index.byDeviceId.get(deviceId);
      }
    }
    if (hit?.[1].deviceId === deviceId) found.set(hit[0], hit[1]);
  }
  return [...found];
}

interface PhoneIndex {
  readonly byImei: Map<string, [string, DeviceAgent]>;
  readonly byAccount: Map<string, [string, DeviceAgent][]>;
  readonly byDeviceId: Map<string, [string, DeviceAgent]>;
}
const indexes = new WeakMap<ScenarioRun, PhoneIndex>();
