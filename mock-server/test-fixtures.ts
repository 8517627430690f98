import type { Millis } from "../core/clock.ts";
import { newDeviceRecord, type DeviceRecord } from "./model.ts";

/** A registered, never-checked-in device on lender-a's acct-1, for the pure rules' unit tests. */
export function deviceFixture(registeredAt: Millis = 0, patch: Partial<DeviceRecord> = {}): DeviceRecord {
  const base = newDeviceRecord({
    deviceId: "dev-1",
    imei: "490154203237518",
    lenderId: "lender-a",
    accountId: "acct-1",
    contact: { phone: "+4930123456" },
    registeredAt,
  });
  return { ...base, ...patch };
}
