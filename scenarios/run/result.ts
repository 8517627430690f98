import type { JournalEvent } from "../../core/journal.ts";
import type { LockScreen } from "../../device-sim/lock-screen.ts";

/**
 * What a scenario run produced. Reporters (pretty, json, junit, markdown, mermaid) read only this; the
 * journal inside it is the run's single history.
 */
export interface ScenarioResult {
  readonly scenario: ScenarioInfo;
  readonly seed: number | string;
  readonly transport: string;
  readonly passed: boolean;
  /**
   * Set when the whole scenario was not played (against a `--target`, a step needs Heartlock's own mock):
   * why. `passed` is then false, and the scenario counts neither as passed nor as failed.
   */
  readonly skipped?: string;
  /** Simulated start and end of the run (ISO, UTC). */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly timeZone: string;
  readonly steps: readonly StepResult[];
  /** Every expectation of the run, in the order they were decided. */
  readonly expectations: readonly ExpectationResult[];
  readonly journal: readonly JournalEvent[];
  /** The final screen of every device, by device name. */
  readonly screens: Readonly<Record<string, LockScreen>>;
  /** Who is who: device names with their IMEI, deviceId (once enrolled), account and lender. */
  readonly devices: Readonly<Record<string, DeviceInfo>>;
  readonly stats: RunStats;
}

export interface ScenarioInfo {
  /** The file's base name without extension ("missed-payment-lock"), or "inline". */
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly objectives: readonly string[];
  readonly file?: string;
}

export interface DeviceInfo {
  readonly name: string;
  readonly imei: string;
  readonly deviceId?: string;
  readonly account?: string;
  readonly lender?: string;
}

export interface StepResult {
  /** 0-based position in the timeline. */
  readonly index: number;
  /** Line of the step in its file, when it came from one. */
  readonly line?: number;
  /** Simulated time the step ran (ISO, UTC). */
  readonly at: string;
  readonly say?: string;
  /** The action, e.g. "lender.default", with its parameters as written. */
  readonly action?: { readonly do: string; readonly params: Readonly<Record<string, unknown>> };
  /** A one-line plain-language account of what the action did ("support issued code 12345678"). */
  readonly outcome?: string;
  /** Set when the action itself failed unexpectedly (or did not fail as `expectError` said). */
  readonly error?: string;
  /** Journal seqs written while this step (its action, not the waiting before it) ran: (firstSeq, lastSeq]. */
  readonly seqBefore: number;
  readonly seqAfter: number;
}

export interface ExpectationResult {
  readonly step: number;
  readonly line?: number;
  /** When the expectation was decided (ISO): the step's time, or the end of a `within` window. */
  readonly at: string;
  /** Human-readable: "alice-phone is locked (overdue)". */
  readonly description: string;
  readonly passed: boolean;
  /**
   * Set when the check was not decided (against a `--target`, it needs Heartlock's own mock): why. `passed`
   * is then false, and the check counts neither as passed nor as failed.
   */
  readonly skipped?: string;
  readonly expected: string;
  readonly found: string;
  /** The last events before the check, for a failed expectation (empty when it passed). */
  readonly recentEvents: readonly JournalEvent[];
}

export interface RunStats {
  readonly events: number;
  readonly heartbeats: number;
  /** Simulated milliseconds from start to end. */
  readonly simulatedMs: number;
  /** Real milliseconds the run took. Real time differs between identical runs: the JSON report leaves it out unless asked (--timings). */
  readonly wallMs: number;
  /** When the run started, real time (ISO, UTC), when the caller gave a real clock: JUnit's timestamp. */
  readonly ranAt?: string;
  /** Real milliseconds each step took to play (its wait and its action), by step index: JUnit's case times. */
  readonly stepWallMs?: readonly number[];
}
