import type { ScenarioResult } from "../run/result.ts";

/**
 * What narration needs to speak the run's language: the phones by the names the scenario gave them (the
 * journal only knows deviceIds and IMEIs), and the zone its times are told in.
 */
export interface NameBook {
  /** deviceId and IMEI -> device name. */
  readonly devices: ReadonlyMap<string, string>;
  readonly timeZone: string;
}

export function nameBook(result: Pick<ScenarioResult, "devices" | "timeZone">): NameBook {
  const devices = new Map<string, string>();
  for (const device of Object.values(result.devices)) {
    devices.set(device.imei, device.name);
    if (device.deviceId !== undefined) devices.set(device.deviceId, device.name);
  }
  return { devices, timeZone: result.timeZone };
}
