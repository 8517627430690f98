import type { Millis } from "../../core/clock.ts";
import type { Journal, JournalEvent } from "../../core/journal.ts";
import type { ActiveFault } from "../faults.ts";
import type { Account, DeviceRecord } from "../model.ts";
import { MemoryStore, type Store } from "../store.ts";
import type { SqliteDatabase, SqliteStatement } from "./sqlite.ts";

/** What lives beside the records: the clock's moment and speed, faults, the sync delay, keys kept across restarts. */
export interface SavedMeta {
  readonly clock?: { readonly now: Millis; readonly speed: number; readonly wallAt: number };
  readonly faults?: readonly ActiveFault[];
  readonly faultCount?: number;
  readonly syncDelay?: { readonly min: Millis; readonly max: Millis };
  readonly keys?: unknown;
  readonly serverKeySeed?: string;
}

/**
 * The lock service's records written through to SQLite: reads come from memory (as fast as MemoryStore), every
 * put is written before the call returns, so by the time a handler answers, its effects are on disk.
 */
export class SqliteStore implements Store {
  private readonly memory = new MemoryStore();
  private readonly putAccountRow: SqliteStatement;
  private readonly putDeviceRow: SqliteStatement;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, body TEXT NOT NULL);`);
    this.putAccountRow = db.prepare("INSERT INTO accounts (key, body) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body");
    this.putDeviceRow = db.prepare("INSERT INTO devices (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body");
    for (const row of db.prepare("SELECT body FROM devices ORDER BY rowid").all()) this.memory.putDevice(JSON.parse(String(row.body)) as DeviceRecord);
    for (const row of db.prepare("SELECT body FROM accounts ORDER BY rowid").all()) this.memory.putAccount(JSON.parse(String(row.body)) as Account);
  }

  /** Every saved account and device (to re-arm jobs and tokens after a restart). */
  accounts(): Account[] {
    return this.db.prepare("SELECT body FROM accounts ORDER BY rowid").all().map((row) => JSON.parse(String(row.body)) as Account);
  }
  devices(): DeviceRecord[] {
    return this.db.prepare("SELECT body FROM devices ORDER BY rowid").all().map((row) => JSON.parse(String(row.body)) as DeviceRecord);
  }

  getAccount(lenderId: string, accountId: string): Account | undefined {
    return this.memory.getAccount(lenderId, accountId);
  }
  putAccount(account: Account): void {
    this.putAccountRow.run(`${account.lenderId}/${account.accountId}`, JSON.stringify(account));
    this.memory.putAccount(account);
  }
  getDevice(deviceId: string): DeviceRecord | undefined {
    return this.memory.getDevice(deviceId);
  }
  findDeviceByImei(imei: string): DeviceRecord | undefined {
    return this.memory.findDeviceByImei(imei);
  }
  putDevice(device: DeviceRecord): void {
    this.putDeviceRow.run(device.deviceId, JSON.stringify(device));
    this.memory.putDevice(device);
  }
  devicesOfAccount(lenderId: string, accountId: string): DeviceRecord[] {
    return this.memory.devicesOfAccount(lenderId, accountId);
  }
  deviceCount(): number {
    return this.memory.deviceCount();
  }
  clear(): void {
    this.db.exec("DELETE FROM accounts; DELETE FROM devices;");
    this.memory.clear();
  }
}

/** The journal's events and the meta row, in the same database file. */
export class SqliteHistory {
  private readonly insertEvent: SqliteStatement;
  private readonly putMeta: SqliteStatement;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, body TEXT NOT NULL);`);
    this.insertEvent = db.prepare("INSERT OR REPLACE INTO events (seq, body) VALUES (?, ?)");
    this.putMeta = db.prepare("INSERT INTO meta (name, body) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET body = excluded.body");
  }

  /** The last `keep` events saved (oldest first) and the last seq ever written. */
  load(keep: number): { readonly events: JournalEvent[]; readonly lastSeq: number } {
    const rows = this.db.prepare("SELECT body FROM events ORDER BY seq DESC LIMIT ?").all(keep);
    const events = rows.map((row) => JSON.parse(String(row.body)) as JournalEvent).reverse();
    const last = this.db.prepare("SELECT MAX(seq) AS seq FROM events").get();
    return { events, lastSeq: Number(last?.seq ?? 0) };
  }

  /** Writes each event as it is appended; old ones beyond `keep` are pruned now and then (retention on disk too). */
  follow(journal: Journal, keep: number): () => void {
    const prune = this.db.prepare("DELETE FROM events WHERE seq <= ?");
    return journal.subscribe((event) => {
      this.insertEvent.run(event.seq, JSON.stringify(event));
      if (event.seq % 4096 === 0 && event.seq > keep) prune.run(event.seq - keep);
    });
  }

  meta(): SavedMeta {
    const out: Record<string, unknown> = {};
    for (const row of this.db.prepare("SELECT name, body FROM meta").all()) out[String(row.name)] = JSON.parse(String(row.body));
    return out as SavedMeta;
  }

  saveMeta(meta: SavedMeta): void {
    for (const [name, value] of Object.entries(meta)) if (value !== undefined) this.putMeta.run(name, JSON.stringify(value));
  }
}
