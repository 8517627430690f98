import { createRequire } from "node:module";

/** The few calls of node:sqlite's DatabaseSync the durable store uses (typed here: @types/node 20 lacks it). */
export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Record<string, unknown>[];
}
export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

export class SqliteUnavailable extends Error {
  constructor() {
    super(`--data needs Node 22.13 or later (its built-in node:sqlite); this is Node ${process.versions.node}. Run without --data to keep the world in memory.`);
    this.name = "SqliteUnavailable";
  }
}

/**
 * Opens an SQLite file with Node's built-in `node:sqlite` (Node 22.13+, no flag, no native build). WAL journal with
 * synchronous=NORMAL: each statement is committed to the WAL before it returns, so a process killed with
 * SIGKILL loses nothing already written (the OS holds the pages); only an OS crash or power loss can drop the last
 * commits. Node 20 has no node:sqlite: SqliteUnavailable.
 */
export function openSqlite(file: string): SqliteDatabase {
  const require = createRequire(import.meta.url);
  let sqlite: { DatabaseSync: new (path: string) => SqliteDatabase };
  try {
    // Loaded here, not imported at the top: Node 20 has no such module, and Node 22 warns once that it is experimental.
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (String(warning).includes("SQLite")) return;
      (emit as (w: string | Error, ...r: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      sqlite = require("node:sqlite") as typeof sqlite;
    } finally {
      process.emitWarning = emit;
    }
  } catch {
    throw new SqliteUnavailable();
  }
  const db = new sqlite.DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
  return db;
}

/** True where node:sqlite loads (tests skip the durable suite elsewhere, with that reason). */
export function sqliteAvailable(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 13);
}
