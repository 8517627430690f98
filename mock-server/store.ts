import type { Account, DeviceRecord } from "./model.ts";

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
  /*
   * Accounts by lender, then by account id: every heartbeat looks its account up, and a `lender/account` key
   * string would be built (and hashed afresh) per lookup; a fleet also keeps one such key per account.
   */
  private readonly accounts = new Map<string, Map<string, Account>>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly byImei = new Map<string, string>();
  private readonly byAccount = new Map<string, Map<string, string[]>>();

  getAccount(lenderId: string, accountId: string): Account | undefined {
    return this.accounts.get(lenderId)?.get(accountId);
  }

  putAccount(account: Account): void {
    inner(this.accounts, account.lenderId).set(account.accountId, account);
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
      const ofLender = inner(this.byAccount, device.lenderId);
      const ids = ofLender.get(device.accountId);
      // [id], not [...[], id]: a spread array keeps room for 16, and a fleet has one of these per account.
      ofLender.set(device.accountId, ids ? [...ids, device.deviceId] : [device.deviceId]);
    }
    this.devices.set(device.deviceId, device);
  }

  devicesOfAccount(lenderId: string, accountId: string): DeviceRecord[] {
    const ids = this.byAccount.get(lenderId)?.get(accountId) ?? [];
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

/** The map under `key`, made on first use. */
function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = outer.get(key);
  if (map === undefined) {
    map = new Map<string, V>();
    outer.set(key, map);
  }
  return map;
}
