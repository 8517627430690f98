import type { Account, DeviceRecord } from "./model.ts";
import { accountKey } from "./model.ts";

/**
 * Where the lock service keeps its records. In memory for now; the interface is small so that a
 * persistent store can replace it without touching the rules.
 */
export interface Store {
  getAccount(lenderId: string, accountId: string): Account | undefined;
  putAccount(account: Account): void;
  getDevice(deviceId: string): DeviceRecord | undefined;
  findDeviceByImei(imei: string): DeviceRecord | undefined;
  putDevice(device: DeviceRecord): void;
  devicesOfAccount(lenderId: string, accountId: string): DeviceRecord[];
  deviceCount(): number;
  clear(): void;
}

export class MemoryStore implements Store {
  private readonly accounts = new Map<string, Account>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly byImei = new Map<string, string>();
  private readonly byAccount = new Map<string, string[]>();

  getAccount(lenderId: string, accountId: string): Account | undefined {
    return this.accounts.get(accountKey(lenderId, accountId));
  }

  putAccount(account: Account): void {
    this.accounts.set(accountKey(account.lenderId, account.accountId), account);
  }

  getDevice(deviceId: string): DeviceRecord | undefined {
    return this.devices.get(deviceId);
  }

  findDeviceByImei(imei: string): DeviceRecord | undefined {
    const id = this.byImei.get(imei);
    return id === undefined ? undefined : this.devices.get(id);
  }

  putDevice(device: DeviceRecord): void {
    if (!this.devices.has(device.deviceId)) {
      this.byImei.set(device.imei, device.deviceId);
      const key = accountKey(device.lenderId, device.accountId);
      const ids = this.byAccount.get(key);
      // [id], not [...[], id]: a spread array keeps room for 16, and a fleet has one of these per account.
      this.byAccount.set(key, ids ? [...ids, device.deviceId] : [device.deviceId]);
    }
    this.devices.set(device.deviceId, device);
  }

  devicesOfAccount(lenderId: string, accountId: string): DeviceRecord[] {
    const ids = this.byAccount.get(accountKey(lenderId, accountId)) ?? [];
    return ids.flatMap((id) => this.devices.get(id) ?? []);
  }

  deviceCount(): number {
    return this.devices.size;
  }

  clear(): void {
    this.accounts.clear();
    this.devices.clear();
    this.byImei.clear();
    this.byAccount.clear();
  }
}
